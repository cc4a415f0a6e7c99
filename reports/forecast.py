"""The seat forecast as reports sees it: the demand rate it plans for, and the rows that are kept.

`enrollment.forecast` computes the forecast. It plans demand for the gross enrolment rate target
in force, which is a `Target` of this app; since enrollment may not import reports, `ready()`
of `ReportsConfig` hands it `target_demand_rate`. The nightly job stores the forecast rows as
`SeatForecast` (`seat_forecast_models`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from enrollment.choices import EnrollmentIndicator
from enrollment.forecast import ForecastRow

from .choices import Authority
from .models import SeatForecast, Target


def target_demand_rate(day: datetime.date) -> Decimal:
    """The gross enrolment rate target in force on `day`: Chaoyang's, else the national standard, else 100 %."""
    in_force = Target.objects.in_force(day).filter(indicator=EnrollmentIndicator.GROSS_ENROLLMENT_RATE)
    # Later versions overwrite earlier ones in the dict.
    targets = dict(in_force.order_by("valid_from").values_list("authority", "value"))
    for authority in (Authority.CHAOYANG, Authority.NATIONAL):
        if targets.get(authority) is not None:
            return targets[authority]
    return Decimal(1)


def seat_forecast_models(day: datetime.date, rows: Iterable[ForecastRow]) -> list[SeatForecast]:
    """Unsaved `SeatForecast` rows for `day`, for the computation to bulk-create."""
    return [
        SeatForecast(
            date=day,
            subdistrict_id=row.subdistrict_id,
            year=row.year,
            cohort=row.cohort,
            demand=row.demand,
            seats=row.seats,
            shortfall=row.shortfall,
        )
        for row in rows
    ]
