"""The hand-written SQL baselines of `bench/nightly.py`, each with the check that the engine computes
the same figures: the three targets per sub-district in one query (`HAND_WRITTEN_SQL`), and every
figure the engine stores but the forecast shortfall, for every scope, in one statement
(`EVERY_FIGURE_SQL`, the goal's baseline). Imported by nightly.py after Django is set up."""

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


# --- the second baseline: every figure the engine stores, for every scope ---------------------

# Every registered indicator except the forecast shortfall (a cohort projection over five years of
# population in Python, `enrollment.forecast`, not a sum: it is left out on both sides, the engine
# being timed with the forecast handed to it). One statement: each table is aggregated once per
# kindergarten (classes, posts, certificates, hazards, alerts, gaps, assignments, filings), the
# aggregates are joined to the kindergartens and summed with GROUPING SETS ((sub-district),
# (sponsor type), ()) — the district, every sub-district and every sponsor type in one pass — and
# the area-only figures (population, open cases, village centres) are grouped by sub-district.
# The rule sets in force (staffing standard, safety rules) are read first, one row each, and their
# bands written into the statement as CASEs, as the engine does; every other policy (class-size
# limits, plan period, cycle, recognition warning days, credit requirements) is read by the SQL.
EVERY_FIGURE_SQL = """
WITH year AS (
    SELECT id FROM enrollment_schoolyear WHERE start_year = %(year)s
), limits AS (
    SELECT DISTINCT ON (class_type) class_type, max_children
    FROM enrollment_classsizelimit
    WHERE valid_from <= %(day)s AND (valid_to IS NULL OR valid_to >= %(day)s)
    ORDER BY class_type, valid_from DESC
), classes AS (
    SELECT sc.kindergarten_id AS kg,
           SUM(sc.enrolled) FILTER (WHERE sc.class_type IN %(target_types)s) AS enrolled,
           SUM(sc.enrolled) AS children,
           COUNT(*) AS classes,
           COUNT(*) FILTER (WHERE sc.enrolled > l.max_children) AS over_limit
    FROM enrollment_schoolclass sc
    LEFT JOIN limits l ON l.class_type = sc.class_type
    WHERE sc.school_year_id IN (SELECT id FROM year)
    GROUP BY sc.kindergarten_id
), submitted AS (
    SELECT DISTINCT kindergarten_id AS kg FROM enrollment_enrollmentsubmission
    WHERE school_year_id IN (SELECT id FROM year) AND status IN %(reported_statuses)s
), held AS (  -- which kinds of certificate each person holds, valid on the day
    SELECT person_id, {held_kinds}
    FROM staff_certificate
    WHERE issued_on <= %(day)s AND (expires_on IS NULL OR expires_on >= %(day)s)
    GROUP BY person_id
), period AS (
    SELECT starts_on, LEAST(ends_on, %(day)s) AS until FROM staff_planperiod WHERE starts_on <= %(day)s
    ORDER BY ends_on >= %(day)s DESC, starts_on DESC LIMIT 1
), posts AS (  -- posts held on the day, per kindergarten
    SELECT sm.kindergarten_id AS kg,
           COUNT(*) AS staff,
           COUNT(*) FILTER (WHERE sm.role IN ('teacher', 'caregiver')) AS carers,
           COUNT(*) FILTER (WHERE sm.role = 'teacher') AS teachers,
           COUNT(*) FILTER (WHERE sm.role = 'teacher' AND sm.full_time) AS fulltime_teachers,
           COUNT(*) FILTER (WHERE sm.role = 'health' AND sm.full_time) AS health,
           COUNT(*) FILTER (WHERE sm.role IN %(principal_roles)s) AS principals,
           -- holding every certificate the role requires (the standard's list, written in)
           COUNT(*) FILTER (WHERE %(has_standard)s AND {teacher_certified}) AS teachers_certified,
           COUNT(*) FILTER (WHERE %(has_standard)s AND ({principal_certified})) AS principals_certified,
           COUNT(*) FILTER (WHERE sm.role IN %(principal_roles)s AND sm.hired_on BETWEEN p.starts_on AND p.until)
               AS appointed,
           COUNT(*) FILTER (WHERE sm.role IN %(principal_roles)s AND sm.hired_on BETWEEN p.starts_on AND p.until
                              AND h.has_principal AND h.has_teacher) AS dual
    FROM staff_staffmember sm
    LEFT JOIN held h ON h.person_id = sm.person_id
    LEFT JOIN period p ON true
    WHERE sm.hired_on <= %(day)s AND (sm.left_on IS NULL OR sm.left_on > %(day)s)
    GROUP BY sm.kindergarten_id
), expiring AS (  -- (post, certificate) pairs: valid, expiring within the notice, not renewed
    SELECT sm.kindergarten_id AS kg, COUNT(*) AS n
    FROM staff_staffmember sm
    JOIN staff_certificate c ON c.person_id = sm.person_id
    WHERE %(has_standard)s AND sm.hired_on <= %(day)s AND (sm.left_on IS NULL OR sm.left_on > %(day)s)
      AND c.issued_on <= %(day)s AND c.expires_on BETWEEN %(day)s AND %(notice_until)s
      AND NOT EXISTS (
          SELECT 1 FROM staff_certificate o
          WHERE o.person_id = c.person_id AND o.kind = c.kind AND o.id <> c.id AND o.issued_on <= %(day)s
            AND (o.expires_on IS NULL OR o.expires_on > %(notice_until)s))
    GROUP BY sm.kindergarten_id
), credits AS (  -- principals in post at the end of last year and their credits of that year
    SELECT sm.kindergarten_id AS kg, COUNT(*) AS principals,
           COUNT(*) FILTER (WHERE q.credits IS NOT NULL AND COALESCE(t.credits, 0) >= q.credits) AS completed
    FROM staff_staffmember sm
    LEFT JOIN LATERAL (
        SELECT stage FROM staff_careerstagerecord c WHERE c.person_id = sm.person_id AND c.since <= %(year_end)s
        ORDER BY c.since DESC, c.id DESC LIMIT 1
    ) s ON true
    LEFT JOIN LATERAL (
        SELECT credits FROM staff_creditrequirement q
        WHERE q.stage = s.stage AND q.valid_from <= %(year_end)s AND (q.valid_to IS NULL OR q.valid_to >= %(year_end)s)
        ORDER BY q.valid_from DESC LIMIT 1
    ) q ON true
    LEFT JOIN (
        SELECT person_id, SUM(credits) AS credits FROM staff_trainingrecord
        WHERE attended_on BETWEEN %(year_start)s AND %(year_end)s GROUP BY person_id
    ) t ON t.person_id = sm.person_id
    WHERE sm.role IN %(principal_roles)s AND sm.hired_on <= %(year_end)s
      AND (sm.left_on IS NULL OR sm.left_on > %(year_end)s)
    GROUP BY sm.kindergarten_id
), filings AS (
    SELECT kindergarten_id AS kg, SUM(insurance_required) AS required, SUM(insurance_covered) AS covered
    FROM staff_payfiling WHERE year = %(last_year)s GROUP BY kindergarten_id
), hazards AS (
    SELECT kindergarten_id AS kg,
           COUNT(*) FILTER (WHERE still_open AND deadline < %(day)s) AS overdue,
           COUNT(*) FILTER (WHERE still_open AND severity = 'major') AS major,
           COUNT(*) FILTER (WHERE deadline BETWEEN %(closure_from)s AND %(closure_to)s) AS due,
           COUNT(*) FILTER (WHERE deadline BETWEEN %(closure_from)s AND %(closure_to)s AND closed_on <= deadline)
               AS on_time
    FROM safety_hazard
    CROSS JOIN LATERAL (
        SELECT found_on <= %(day)s AND (status IN %(open_hazard)s OR closed_on > %(day)s) AS still_open
    ) o
    GROUP BY kindergarten_id
), recognitions AS (
    SELECT kindergarten_id AS kg, COUNT(*) AS n FROM governance_recognition
    WHERE status = 'recognised' AND valid_from <= %(day)s
      AND valid_to <= %(day)s + COALESCE((
          SELECT warning_days FROM governance_recognitionpolicy
          WHERE valid_from <= %(day)s AND (valid_to IS NULL OR valid_to >= %(day)s)
          ORDER BY valid_from DESC LIMIT 1), 0)
    GROUP BY kindergarten_id
), alerts AS (
    SELECT kindergarten_id AS kg, COUNT(*) AS n FROM governance_feealert
    WHERE raised_on <= %(day)s AND (status = 'open' OR resolved_on > %(day)s)
    GROUP BY kindergarten_id
), gaps AS (
    SELECT DISTINCT kindergarten_id AS kg FROM kindergartens_estategap
    WHERE since <= %(day)s AND (resolved_on IS NULL OR resolved_on > %(day)s)
), cycle AS (
    SELECT id FROM inspections_evaluationcycle WHERE start_year <= %(calendar_year)s
    ORDER BY end_year >= %(calendar_year)s DESC, start_year DESC LIMIT 1
), plan AS (
    SELECT a.kindergarten_id AS kg, COUNT(*) AS planned,
           COUNT(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM inspections_selfassessment s
                   WHERE s.kindergarten_id = a.kindergarten_id AND s.cycle_id = a.cycle_id AND s.status = 'accepted')
               OR EXISTS (
                   SELECT 1 FROM inspections_externalevaluation e
                   WHERE e.kindergarten_id = a.kindergarten_id AND e.cycle_id = a.cycle_id AND e.status = 'published')
           ) AS evaluated
    FROM inspections_cycleassignment a WHERE a.cycle_id IN (SELECT id FROM cycle)
    GROUP BY a.kindergarten_id
), ratios (day_type, staff_high, carer_high, teachers_per_class, carers_per_class) AS (
    VALUES ('full_day', %(full_day_staff_ratio_high)s, %(full_day_carer_ratio_high)s,
            %(full_day_teachers_per_class)s, %(full_day_carers_per_class)s),
           ('half_day', %(half_day_staff_ratio_high)s, %(half_day_carer_ratio_high)s,
            %(half_day_teachers_per_class)s, %(half_day_carers_per_class)s)
), grouped AS (
    SELECT CASE WHEN GROUPING(k.subdistrict_id) = 0 THEN k.subdistrict_id::text
                WHEN GROUPING(k.sponsor_type) = 0 THEN k.sponsor_type ELSE 'district' END AS key,
           -- enrolment, over the operating kindergartens (o.op)
           SUM(c.enrolled) FILTER (WHERE o.op) AS enrolled,
           SUM(c.enrolled) FILTER (WHERE o.op AND k.sponsor_type IN %(public)s) AS public,
           SUM(c.enrolled) FILTER (WHERE o.op AND (k.sponsor_type IN %(public)s OR (
               k.inclusive_status = 'inclusive_private' AND k.recognition_date <= %(day)s
               AND (k.recognition_expiry IS NULL OR k.recognition_expiry > %(day)s)))) AS inclusive,
           SUM(c.children) FILTER (WHERE o.op) AS children,
           SUM(k.approved_capacity) FILTER (WHERE o.op AND o.reported) AS reported_capacity,
           SUM(c.classes) FILTER (WHERE o.op) AS classes,
           SUM(c.classes - c.over_limit) FILTER (WHERE o.op) AS classes_within,
           COUNT(*) FILTER (WHERE k.licence_status = 'unlicensed') AS unlicensed,
           COUNT(*) FILTER (WHERE o.op AND k.approved_capacity > 0) AS expected,
           COUNT(*) FILTER (WHERE o.op AND k.approved_capacity > 0 AND o.reported) AS reported,
           SUM(k.approved_capacity) FILTER (WHERE o.op AND k.approved_capacity > 0) AS expected_seats,
           SUM(k.approved_capacity) FILTER (WHERE o.op AND k.approved_capacity > 0 AND o.reported) AS reported_seats,
           COUNT(*) FILTER (WHERE k.is_estate_kindergarten AND gp.kg IS NOT NULL) AS estates,
           SUM(pl.evaluated) AS evaluated, SUM(pl.planned) AS planned,
           -- staff: the six staffing checks against the standard of the kindergarten's day type
           COUNT(*) FILTER (WHERE o.op) AS operating,
           COUNT(*) FILTER (WHERE o.op AND %(has_standard)s
               AND f.children <= f.staff * r.staff_high AND f.children <= f.carers * r.carer_high
               AND f.teachers >= f.classes * r.teachers_per_class AND f.carers >= f.classes * r.carers_per_class
               AND f.principals >= 1 AND f.principals <= {max_principals}
               AND f.children <= f.health * %(children_per_health_staff)s
               AND f.children <= f.fulltime_teachers * %(children_per_fulltime_teacher)s) AS staffed,
           SUM(p.fulltime_teachers) FILTER (WHERE o.op) AS fulltime_teachers,
           SUM(p.teachers_certified) FILTER (WHERE o.op) AS teachers_certified,
           SUM(p.teachers) FILTER (WHERE o.op) AS teachers,
           SUM(p.principals_certified) FILTER (WHERE o.op) AS principals_certified,
           SUM(p.principals) FILTER (WHERE o.op) AS principals,
           SUM(x.n) FILTER (WHERE o.op) AS certificates_expiring,
           SUM(p.dual) AS dual, SUM(p.appointed) AS appointed,
           SUM(cr.completed) AS credits_completed, SUM(cr.principals) AS credit_principals,
           SUM(fi.covered) AS insured, SUM(fi.required) AS insurance_required,
           -- safety: the four rules on the profile (none: no rule met), hazards of every kindergarten
           COUNT(*) FILTER (WHERE o.op AND o.guards) AS guards,
           COUNT(*) FILTER (WHERE o.op AND sp.alarm_installed AND sp.alarm_linked) AS alarm,
           COUNT(*) FILTER (WHERE o.op AND sp.cameras > 0 AND sp.video_linked) AS video,
           COUNT(*) FILTER (WHERE o.op AND sp.closed_campus) AS closed_campus,
           COUNT(*) FILTER (WHERE o.op AND o.guards AND sp.alarm_installed AND sp.alarm_linked
                              AND sp.cameras > 0 AND sp.video_linked AND sp.closed_campus) AS full_coverage,
           SUM(hz.overdue) AS overdue, SUM(hz.major) AS major, SUM(hz.on_time) AS on_time, SUM(hz.due) AS due,
           SUM(rc.n) AS recognitions_expiring, SUM(al.n) AS alerts_open
    FROM kindergartens_kindergarten k
    LEFT JOIN classes c ON c.kg = k.id
    LEFT JOIN submitted s ON s.kg = k.id
    LEFT JOIN posts p ON p.kg = k.id
    LEFT JOIN expiring x ON x.kg = k.id
    LEFT JOIN credits cr ON cr.kg = k.id
    LEFT JOIN filings fi ON fi.kg = k.id
    LEFT JOIN safety_safetyprofile sp ON sp.kindergarten_id = k.id
    LEFT JOIN hazards hz ON hz.kg = k.id
    LEFT JOIN recognitions rc ON rc.kg = k.id
    LEFT JOIN alerts al ON al.kg = k.id
    LEFT JOIN gaps gp ON gp.kg = k.id
    LEFT JOIN plan pl ON pl.kg = k.id
    LEFT JOIN ratios r ON r.day_type = k.day_type
    CROSS JOIN LATERAL (
        SELECT COALESCE(c.children, 0) AS children, COALESCE(c.classes, 0) AS classes,
               COALESCE(p.staff, 0) AS staff, COALESCE(p.carers, 0) AS carers, COALESCE(p.teachers, 0) AS teachers,
               COALESCE(p.principals, 0) AS principals, COALESCE(p.health, 0) AS health,
               COALESCE(p.fulltime_teachers, 0) AS fulltime_teachers,
               -- people on campus: the posts held on the day, or the profile's staff count without any
               COALESCE(p.staff, sp.staff_count, 0) + COALESCE(c.children, 0) AS people
    ) f
    CROSS JOIN LATERAL (
        SELECT k.licence_status IN %(operating)s AS op,
               c.kg IS NOT NULL OR s.kg IS NOT NULL AS reported,
               %(has_rules)s AND sp.guards_full_time >= {required_guards} AS guards
    ) o
    GROUP BY GROUPING SETS ((k.subdistrict_id), (k.sponsor_type), ())
), population AS (
    SELECT CASE WHEN GROUPING(subdistrict_id) = 0 THEN subdistrict_id::text ELSE 'district' END AS key,
           SUM(children) AS children
    FROM enrollment_childpopulation
    WHERE basis = 'resident' AND year = %(year)s AND age IN (3, 4, 5)
    GROUP BY GROUPING SETS ((subdistrict_id), ())
), cases AS (
    SELECT CASE WHEN GROUPING(subdistrict_id) = 0 THEN subdistrict_id::text ELSE 'district' END AS key,
           COUNT(*) AS n
    FROM inspections_unlicensedcase
    WHERE discovered_on <= %(day)s AND (status IN %(open_cases)s OR resolved_on > %(day)s)
    GROUP BY GROUPING SETS ((subdistrict_id), ())
), villages AS (  -- each area office: 1 without a licensed public village centre kindergarten
    SELECT s.id, (c.subdistrict_id IS NULL)::int AS missing
    FROM kindergartens_subdistrict s
    LEFT JOIN (
        SELECT DISTINCT subdistrict_id FROM kindergartens_kindergarten
        WHERE is_village_centre AND sponsor_type IN %(public)s AND licence_status = 'licensed'
    ) c ON c.subdistrict_id = s.id
    WHERE s.kind = 'area'
), scopes AS (
    SELECT 'district' AS scope_type, 'district' AS scope_key, 'district' AS key
    UNION ALL SELECT 'subdistrict', code, id::text FROM kindergartens_subdistrict
    UNION ALL SELECT 'ownership', t, t FROM unnest(%(sponsor_types)s::text[]) t
)
SELECT s.scope_type, s.scope_key, g.*,
       -- a sponsor type's rate is over the district's population (a scalar subquery: computed once)
       COALESCE(CASE WHEN s.scope_type = 'subdistrict' THEN p.children
                     ELSE (SELECT children FROM population WHERE key = 'district') END, 0) AS population,
       COALESCE(cs.n, 0) AS open_cases,
       CASE WHEN s.scope_type = 'district' THEN (SELECT COALESCE(SUM(missing), 0) FROM villages) ELSE v.missing END
           AS villages_missing,
       NOT EXISTS (SELECT 1 FROM enrollment_schoolyear WHERE start_year = %(year)s AND locked) AS provisional
FROM scopes s
LEFT JOIN grouped g ON g.key = s.key
LEFT JOIN population p ON p.key = s.key AND s.scope_type = 'subdistrict'
LEFT JOIN cases cs ON cs.key = s.key AND s.scope_type <> 'ownership'
LEFT JOIN villages v ON v.id::text = s.key AND s.scope_type = 'subdistrict'
"""


def _bands(value: str, bands: list, above: str) -> str:
    """A rule set's bands ([[limit, n], …], ascending) as a CASE over `value`: integers only."""
    whens = " ".join(f"WHEN {value} <= {int(limit)} THEN {int(n)}" for limit, n in bands)
    return f"CASE {whens} ELSE {above} END"


def _certified(standard, role: str) -> str:
    """A post of `role` whose person holds every kind of certificate the standard requires of it."""
    from staff.choices import CertificateKind

    kinds = standard.required_kinds(role)
    if not set(kinds) <= set(CertificateKind.values):
        raise ValueError(f"unknown certificate kinds in the staffing standard: {kinds}")
    return f"(sm.role = '{role}'" + "".join(f" AND h.has_{kind}" for kind in kinds) + ")"


def every_figure_statement(day: datetime.date) -> tuple[str, dict]:
    """The statement and its parameters for `day`, with the staffing standard's and the safety
    rule set's bands in force written in (two one-row reads)."""
    from enrollment.selectors import REPORTED
    from inspections.choices import OPEN_UNLICENSED_STATUSES
    from kindergartens.choices import SponsorType
    from safety.choices import OPEN_HAZARD_STATUSES
    from safety.indicators import closure_period
    from safety.models import SafetyRuleSet
    from staff.choices import PRINCIPAL_ROLES, CertificateKind, StaffRole
    from staff.models import StaffingStandard

    standard = StaffingStandard.objects.for_day(day)
    rules = SafetyRuleSet.objects.for_day(day)
    closure_from, closure_to = closure_period(day)
    last_year = day.year - 1
    params: dict = {
        "day": day,
        "year": SchoolYear.start_year_for(day),
        "calendar_year": day.year,
        "last_year": last_year,
        "year_start": datetime.date(last_year, 1, 1),
        "year_end": datetime.date(last_year, 12, 31),
        "closure_from": closure_from,
        "closure_to": closure_to,
        "public": PUBLIC,
        "target_types": TARGET_TYPES,
        "operating": OPERATING,
        "reported_statuses": tuple(str(s) for s in REPORTED),
        "principal_roles": tuple(sorted(str(r) for r in PRINCIPAL_ROLES)),
        "open_hazard": tuple(str(s) for s in OPEN_HAZARD_STATUSES),
        "open_cases": tuple(sorted(str(s) for s in OPEN_UNLICENSED_STATUSES)),
        "sponsor_types": [str(s) for s in SponsorType.values],
        "has_standard": standard is not None,
        "has_rules": rules is not None,
    }
    if standard is None:  # nothing can be judged: the flags above keep every check unmet
        params |= {"notice_until": day}
        params |= {f"{t}_{n}": 0 for t in ("full_day", "half_day") for n in ("staff_ratio_high", "carer_ratio_high")}
        params |= {f"{t}_{n}": 0 for t in ("full_day", "half_day") for n in ("teachers_per_class", "carers_per_class")}
        params |= {"children_per_health_staff": 0, "children_per_fulltime_teacher": 0}
        max_principals = teacher_certified = principal_certified = "false"
    else:
        params |= {
            "notice_until": day + datetime.timedelta(days=standard.expiry_notice_days),
            "children_per_health_staff": standard.children_per_health_staff,
            "children_per_fulltime_teacher": standard.children_per_fulltime_teacher,
        }
        for day_type in ("full_day", "half_day"):
            params |= {f"{day_type}_{name}": value for name, value in standard.ratios(day_type).items()}
        max_principals = _bands("f.classes", standard.principal_bands, str(int(standard.principals_above)))
        teacher_certified = _certified(standard, StaffRole.TEACHER)
        principal_certified = " OR ".join(_certified(standard, role) for role in sorted(PRINCIPAL_ROLES))
    if rules is None:
        required_guards = "0"
    else:
        last_people, last_guards = (int(n) for n in rules.guard_bands[-1])
        step_people, step = int(rules.guards_step_people), int(rules.guards_step)
        # Above the last band: ceil((people - last) / step_people) more steps, in integer division.
        above = f"{last_guards} + (f.people - {last_people} + {step_people - 1}) / {step_people} * {step}"
        required_guards = _bands("f.people", rules.guard_bands, above)
    written = {
        "{held_kinds}": ", ".join(f"bool_or(kind = '{kind}') AS has_{kind}" for kind in CertificateKind.values),
        "{teacher_certified}": teacher_certified,
        "{principal_certified}": principal_certified,
        "{max_principals}": max_principals,
        "{required_guards}": required_guards,
    }
    sql = EVERY_FIGURE_SQL
    for marker, text in written.items():  # the {name} markers of EVERY_FIGURE_SQL, filled with SQL text
        sql = sql.replace(marker, text)
    return sql, params


def every_figure(day: datetime.date) -> tuple[list[str], list[tuple]]:
    """The second baseline: one row per scope (district, every sub-district, every sponsor type)
    with every column the engine's figures are made of; (column names, rows)."""
    sql, params = every_figure_statement(day)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [column.name for column in cursor.description], cursor.fetchall()


# Indicator → (numerator column, denominator column or None for a count, carries the completeness).
EVERY_FIGURE: dict[str, tuple[str, str | None, bool]] = {
    "gross_enrollment_rate": ("enrolled", "population", True),
    "inclusive_coverage": ("inclusive", "enrolled", True),
    "public_share": ("public", "enrolled", True),
    "seat_utilisation": ("children", "reported_capacity", True),
    "class_size_compliance": ("classes_within", "classes", True),
    "unlicensed_open": ("unlicensed", None, False),
    "estate_not_in_place": ("estates", None, False),
    "village_centre_missing": ("villages_missing", None, False),
    "unlicensed_open_cases": ("open_cases", None, False),
    "evaluation_coverage": ("evaluated", "planned", False),
    "staffing_compliance": ("staffed", "operating", False),
    "children_per_fulltime_teacher": ("children", "fulltime_teachers", False),
    "teacher_certified_rate": ("teachers_certified", "teachers", False),
    "principal_certified_rate": ("principals_certified", "principals", False),
    "certificates_expiring": ("certificates_expiring", None, False),
    "dual_certificate_rate": ("dual", "appointed", False),
    "principal_credit_completion": ("credits_completed", "credit_principals", False),
    "social_insurance_coverage": ("insured", "insurance_required", False),
    "guard_coverage": ("guards", "operating", False),
    "alarm_coverage": ("alarm", "operating", False),
    "video_coverage": ("video", "operating", False),
    "closed_campus_coverage": ("closed_campus", "operating", False),
    "safety_full_coverage": ("full_coverage", "operating", False),
    "hazards_overdue": ("overdue", None, False),
    "major_hazards_open": ("major", None, False),
    "hazard_closure_rate": ("on_time", "due", False),
    "recognitions_expiring": ("recognitions_expiring", None, False),
    "fee_anomalies_open": ("alerts_open", None, False),
}
# Not in the baseline, and so not timed in the engine either (it is handed the forecast).
LEFT_OUT = ("forecast_shortfall",)


def check_every_figure(values: list, result: tuple[list[str], list[tuple]]) -> dict[str, int]:
    """Every (scope, indicator) the engine stores against the baseline: numerator, denominator and
    completeness (kindergartens and seats expected and reported, provisional); a count without a
    value (a street's village centres) must have none in both. Returns how many figures and scopes
    were compared, how many differ, and how many engine figures the baseline does not cover."""
    from reports import registry

    columns, rows = result
    completeness = ("expected", "reported", "expected_seats", "reported_seats", "provisional")
    baseline: dict[tuple[str, str, str], tuple] = {}
    for row in rows:
        named = dict(zip(columns, row, strict=True))
        done = tuple(named[c] or 0 if c != "provisional" else named[c] for c in completeness)
        for code, (numerator, denominator, carries) in EVERY_FIGURE.items():
            if not registry.find(code).exists_for(named["scope_type"]):
                continue
            value = named[numerator]
            baseline[(named["scope_type"], named["scope_key"], code)] = (
                None if value is None and code == "village_centre_missing" else value or 0,
                None if denominator is None else named[denominator] or 0,
                done if carries else None,
            )

    def of_engine(v) -> tuple:
        c = v.completeness
        done = None if c is None else (c.expected, c.reported, c.expected_seats, c.reported_seats, c.provisional)
        known = v.is_ratio or v.value is not None
        return (v.numerator if known else None, v.denominator, done)

    counts = {"figures": 0, "differ": 0, "not_covered": 0, "scopes": len(rows)}
    for v in values:
        key = (v.scope_type, v.scope_key, v.indicator)
        if v.indicator in LEFT_OUT:
            continue
        if key not in baseline:
            counts["not_covered"] += 1
            continue
        counts["figures"] += 1
        if of_engine(v) != baseline.pop(key):
            counts["differ"] += 1
    counts["differ"] += len(baseline)  # figures the baseline has and the engine does not
    return counts
