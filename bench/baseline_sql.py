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


# --- the second baseline: the same figures as the engine, for every scope ---------------------

# Every figure the enrolment source stores except the forecast shortfall (a cohort projection,
# not a sum), for the district, every sub-district and every sponsor type, as one statement:
# GROUPING SETS give the three scope levels in one pass over the classes and one over the
# kindergartens, each group row keyed by its sub-district's id, its sponsor type or 'district'
# (neither grouping column is ever NULL in a row: sub-district and sponsor type are required). The columns are the numerators and denominators of gross enrolment rate,
# inclusive coverage, public share, seat utilisation, class-size compliance and unlicensed
# kindergartens, and the completeness (kindergartens and seats expected and reported) the first
# five carry. A sponsor type's rate is over the district's population, as in the engine.
ALL_SCOPES_SQL = """
WITH limits AS (
    SELECT DISTINCT ON (class_type) class_type, max_children
    FROM enrollment_classsizelimit
    WHERE valid_from <= %(day)s AND (valid_to IS NULL OR valid_to >= %(day)s)
    ORDER BY class_type, valid_from DESC
), year AS (
    SELECT id FROM enrollment_schoolyear WHERE start_year = %(year)s
), reported AS (
    SELECT kindergarten_id FROM enrollment_schoolclass WHERE school_year_id IN (SELECT id FROM year)
    UNION
    SELECT kindergarten_id FROM enrollment_enrollmentsubmission
    WHERE school_year_id IN (SELECT id FROM year) AND status IN %(reported_statuses)s
), classes AS (
    SELECT COALESCE(k.subdistrict_id::text, k.sponsor_type, 'district') AS key,
           COALESCE(SUM(sc.enrolled) FILTER (WHERE sc.class_type IN %(target_types)s), 0) AS enrolled,
           COALESCE(SUM(sc.enrolled) FILTER (WHERE sc.class_type IN %(target_types)s
                                               AND k.sponsor_type IN %(public)s), 0) AS public,
           COALESCE(SUM(sc.enrolled) FILTER (
               WHERE sc.class_type IN %(target_types)s
                 AND (k.sponsor_type IN %(public)s
                      OR (k.inclusive_status = 'inclusive_private' AND k.recognition_date <= %(day)s
                          AND (k.recognition_expiry IS NULL OR k.recognition_expiry > %(day)s)))
           ), 0) AS inclusive,
           SUM(sc.enrolled) AS children,
           COUNT(*) AS classes,
           COUNT(*) FILTER (WHERE sc.enrolled > l.max_children) AS over_limit
    FROM enrollment_schoolclass sc
    JOIN kindergartens_kindergarten k ON k.id = sc.kindergarten_id
    LEFT JOIN limits l ON l.class_type = sc.class_type
    WHERE sc.school_year_id IN (SELECT id FROM year) AND k.licence_status IN %(operating)s
    GROUP BY GROUPING SETS ((k.subdistrict_id), (k.sponsor_type), ())
), kindergartens AS (
    SELECT COALESCE(k.subdistrict_id::text, k.sponsor_type, 'district') AS key,
           COALESCE(SUM(k.approved_capacity) FILTER (WHERE operating AND r.kindergarten_id IS NOT NULL), 0)
               AS reported_capacity,
           COUNT(*) FILTER (WHERE k.licence_status = 'unlicensed') AS unlicensed,
           COUNT(*) FILTER (WHERE operating AND k.approved_capacity > 0) AS expected,
           COUNT(*) FILTER (WHERE operating AND k.approved_capacity > 0 AND r.kindergarten_id IS NOT NULL) AS reported,
           COALESCE(SUM(k.approved_capacity) FILTER (WHERE operating AND k.approved_capacity > 0), 0) AS expected_seats,
           COALESCE(SUM(k.approved_capacity) FILTER (
               WHERE operating AND k.approved_capacity > 0 AND r.kindergarten_id IS NOT NULL), 0) AS reported_seats
    FROM kindergartens_kindergarten k
    CROSS JOIN LATERAL (SELECT k.licence_status IN %(operating)s AS operating) o
    LEFT JOIN reported r ON r.kindergarten_id = k.id
    GROUP BY GROUPING SETS ((k.subdistrict_id), (k.sponsor_type), ())
), population AS (
    SELECT COALESCE(subdistrict_id::text, 'district') AS key, SUM(children) AS children
    FROM enrollment_childpopulation
    WHERE basis = 'resident' AND year = %(year)s AND age IN (3, 4, 5)
    GROUP BY GROUPING SETS ((subdistrict_id), ())
), scopes AS (
    SELECT 'district' AS scope_type, 'district' AS scope_key, 'district' AS key
    UNION ALL SELECT 'subdistrict', code, id::text FROM kindergartens_subdistrict
    UNION ALL SELECT 'ownership', s, s FROM unnest(%(sponsor_types)s::text[]) s
)
SELECT s.scope_type, s.scope_key,
       COALESCE(c.enrolled, 0), COALESCE(c.public, 0), COALESCE(c.inclusive, 0),
       COALESCE(CASE WHEN s.scope_type = 'subdistrict' THEN p.children ELSE d.children END, 0) AS population,
       COALESCE(c.children, 0), COALESCE(k.reported_capacity, 0),
       COALESCE(c.classes, 0), COALESCE(c.over_limit, 0), COALESCE(k.unlicensed, 0),
       COALESCE(k.expected, 0), COALESCE(k.reported, 0), COALESCE(k.expected_seats, 0), COALESCE(k.reported_seats, 0)
FROM scopes s
LEFT JOIN classes c ON c.key = s.key
LEFT JOIN kindergartens k ON k.key = s.key
LEFT JOIN population p ON p.key = s.key AND s.scope_type = 'subdistrict'
CROSS JOIN (SELECT children FROM population WHERE key = 'district') d
"""


def all_scopes(day: datetime.date) -> list[tuple]:
    """The second baseline: one row per scope (district, every sub-district, every sponsor type)."""
    from enrollment.selectors import REPORTED
    from kindergartens.choices import SponsorType

    params = {
        "day": day,
        "year": SchoolYear.start_year_for(day),
        "public": PUBLIC,
        "target_types": TARGET_TYPES,
        "operating": OPERATING,
        "reported_statuses": tuple(str(s) for s in REPORTED),
        "sponsor_types": [str(s) for s in SponsorType.values],
    }
    with connection.cursor() as cursor:
        cursor.execute(ALL_SCOPES_SQL, params)
        return cursor.fetchall()


def check_all_scopes(values: list, rows: list[tuple]) -> tuple[int, int]:
    """(cells compared, cells that differ): every scope × the six indicators' numerator, denominator
    and completeness (kindergartens and seats expected and reported)."""

    def completeness(value) -> tuple | None:
        done = value.completeness
        return None if done is None else (done.expected, done.reported, done.expected_seats, done.reported_seats)

    engine = {(v.scope_type, v.scope_key, v.indicator): (v.numerator, v.denominator, completeness(v)) for v in values}
    compared = differences = 0
    for row in rows:
        scope_type, key, enrolled, public, inclusive, population, children, reported_capacity, *rest = row
        classes, over, unlicensed, *done = rest
        done = tuple(done)
        expected = {
            Indicator.GROSS_ENROLLMENT_RATE: (enrolled, population, done),
            Indicator.INCLUSIVE_COVERAGE: (inclusive, enrolled, done),
            Indicator.PUBLIC_SHARE: (public, enrolled, done),
            Indicator.SEAT_UTILISATION: (children, reported_capacity, done),
            Indicator.CLASS_SIZE_COMPLIANCE: (classes - over, classes, done),
            Indicator.UNLICENSED_OPEN: (unlicensed, None, None),
        }
        for code, figures in expected.items():
            compared += 1
            if engine.get((scope_type, key, code)) != figures:
                differences += 1
    return compared, differences
