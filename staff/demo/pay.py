"""Demo pay filings of last year for every operating demo kindergarten: most at or above the public
benchmark with everyone covered; some private ones below it or with uncovered staff (flagged)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from kindergartens.choices import PUBLIC_SPONSORS
from kindergartens.models import Kindergarten

from ..choices import Establishment, StaffRole
from ..models import PayBenchmark, PayFiling, PayLine
from .principals import CHANGE_REASON

ROLES = (StaffRole.PRINCIPAL, StaffRole.TEACHER, StaffRole.CAREGIVER, StaffRole.HEALTH)


def seed_pay(rng: random.Random, demo: list[Kindergarten], today: datetime.date) -> str:
    year = today.year - 1
    done = set(PayFiling.objects.filter(year=year).values_list("kindergarten", flat=True))
    benchmarks = dict(PayBenchmark.objects.filter(year=year).values_list("role", "average_monthly_pay"))
    if not benchmarks:
        return "没有当年的公办园工资参照标准，未生成工资填报"
    filings, lines = [], []
    for kg in demo:
        if kg.pk in done:
            continue
        public = kg.sponsor_type in PUBLIC_SPONSORS
        short = not public and rng.random() < 0.2
        people = rng.randint(18, 60)
        uncovered = rng.randint(1, 3) if (not public and rng.random() < 0.12) else 0
        filing = PayFiling(
            kindergarten=kg,
            year=year,
            insurance_required=people,
            insurance_covered=people - uncovered,
            housing_required=people,
            housing_covered=people - (uncovered if rng.random() < 0.5 else 0),
            leave_entitled=people,
            leave_taken=people - rng.randint(0, 4),
            rotation_arranged=rng.random() < 0.9,
        )
        filings.append(filing)
        for role in ROLES:
            est = Establishment.ESTABLISHED if public and role != StaffRole.CAREGIVER else Establishment.CONTRACT
            factor = (
                Decimal(rng.choice(("0.82", "0.9")))
                if short and role == StaffRole.TEACHER
                else Decimal(rng.choice(("1.0", "1.04", "1.08")))
            )
            pay = (benchmarks[role] * factor).quantize(Decimal("1"))
            lines.append(
                (filing, PayLine(role=role, establishment=est, headcount=rng.randint(1, 20), average_monthly_pay=pay))
            )
    bulk_create_with_history(filings, PayFiling, default_change_reason=CHANGE_REASON)
    for filing, line in lines:
        line.filing_id = filing.pk
    bulk_create_with_history([line for _, line in lines], PayLine, default_change_reason=CHANGE_REASON)
    return f"{year} 年工资待遇填报 {len(filings)} 份"
