"""The hand-written SQL baseline of `bench/nightly.py`: the three targets per sub-district in one
query, and the check that the engine computes the same figures. Imported by nightly.py after
Django is set up."""

from __future__ import annotations

import datetime

from django.db import connection

from enrollment.choices import ClassType
from enrollment.choices import EnrollmentIndicator as Indicator
from enrollment.models import SchoolYear
from kindergartens.choices import PUBLIC_SPONSORS, LicenceStatus
from reports.choices import ScopeType

OPERATING = (LicenceStatus.LICENSED.value, LicenceStatus.COMMUNITY_POINT.value)
TARGET_TYPES = (ClassType.SMALL.value, ClassType.MIDDLE.value, ClassType.SENIOR.value, ClassType.MIXED.value)
PUBLIC = tuple(sorted(str(s) for s in PUBLIC_SPONSORS))

# The same figures the engine's sub-district rows hold for the three targets, written by hand:
# one pass over the classes joined to their kindergartens, one over the population, GROUP BY
# sub-district, and every sub-district listed (a sub-district without data still has a row).
HAND_WRITTEN_SQL = """
SELECT s.id,
       COALESCE(c.enrolled, 0) AS enrolled,
       COALESCE(c.public, 0) AS public,
       COALESCE(c.inclusive, 0) AS inclusive,
       COALESCE(p.population, 0) AS population,
       TRUNC(COALESCE(c.enrolled, 0)::numeric / NULLIF(p.population, 0), 6) AS gross_enrollment_rate,
       TRUNC(COALESCE(c.inclusive, 0)::numeric / NULLIF(c.enrolled, 0), 6) AS inclusive_coverage,
       TRUNC(COALESCE(c.public, 0)::numeric / NULLIF(c.enrolled, 0), 6) AS public_share
FROM kindergartens_subdistrict s
LEFT JOIN (
    SELECT k.subdistrict_id,
           SUM(sc.enrolled) AS enrolled,
           SUM(sc.enrolled) FILTER (WHERE k.sponsor_type IN %(public)s) AS public,
           SUM(sc.enrolled) FILTER (
               WHERE k.sponsor_type IN %(public)s
                  OR (k.inclusive_status = 'inclusive_private'
                      AND k.recognition_date <= %(day)s
                      AND (k.recognition_expiry IS NULL OR k.recognition_expiry > %(day)s))
           ) AS inclusive
    FROM enrollment_schoolclass sc
    JOIN enrollment_schoolyear y ON y.id = sc.school_year_id
    JOIN kindergartens_kindergarten k ON k.id = sc.kindergarten_id
    WHERE y.start_year = %(year)s
      AND sc.class_type IN %(target_types)s
      AND k.licence_status IN %(operating)s
    GROUP BY k.subdistrict_id
) c ON c.subdistrict_id = s.id
LEFT JOIN (
    SELECT subdistrict_id, SUM(children) AS population
    FROM enrollment_childpopulation
    WHERE basis = 'resident' AND year = %(year)s AND age IN (3, 4, 5)
    GROUP BY subdistrict_id
) p ON p.subdistrict_id = s.id
ORDER BY s.code
"""


# --- database ----------------------------------------------------------------------------------


def hand_written(day: datetime.date) -> list[tuple]:
    params = {
        "day": day,
        "year": SchoolYear.start_year_for(day),
        "public": PUBLIC,
        "target_types": TARGET_TYPES,
        "operating": OPERATING,
    }
    with connection.cursor() as cursor:
        cursor.execute(HAND_WRITTEN_SQL, params)
        return cursor.fetchall()


def check_agreement(values: list, rows: list[tuple]) -> int:
    """Sub-district × target cells where the engine and the hand-written query differ (0 expected)."""
    engine: dict[tuple[int, str], tuple] = {
        (v.subdistrict_id, v.indicator): (v.numerator, v.denominator, v.value)
        for v in values
        if v.scope_type == ScopeType.SUBDISTRICT
    }
    differences = 0
    for pk, enrolled, public, inclusive, population, gross, coverage, share in rows:
        expected = {
            Indicator.GROSS_ENROLLMENT_RATE: (enrolled, population, gross),
            Indicator.INCLUSIVE_COVERAGE: (inclusive, enrolled, coverage),
            Indicator.PUBLIC_SHARE: (public, enrolled, share),
        }
        for code, figures in expected.items():
            if engine.get((pk, code)) != figures:
                differences += 1
    return differences
