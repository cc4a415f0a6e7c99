"""Staff, governance and inspection records for the synthetic district of bench/nightly.py, written
by the database itself, so that every indicator the every-scope baseline checks has non-trivial
figures (before, the staff, governance, estate and case tables were empty at every scale).

`build_people(day)` gives every kindergarten with classes its posts (one principal, a deputy from
ten classes, two teachers per class (one fewer in a third of them; 93 % full time), a caregiver
per class, a health worker (85 % full time) and a guard; 4 % of posts already left), a person and
the certificates of each post (teacher qualification for 95 % of teachers and principals, 40 % of
them with an expiry spread from 200 days before to 1,800 after the date, a third of the soon-
expiring ones already renewed; principal certificate for 88 % of principals; a yearly health
certificate), a pay filing for last year for 90 % of kindergartens, a recognition for each
inclusive private kindergarten, open and resolved fee alerts for 3 %, estate kindergartens (5 %)
with open and resolved gaps, and one unlicensed case per 40 kindergartens; then `build_careers`.
Not built: evaluation cycles (their indicators stay 0 / no value). No Python loop over rows; run in
the seeded session of `synthetic_district.build_district`, or alone on a database built before
(``nightly.py --reuse --add-people``), then ANALYZE.

`build_careers(day)` gives the principals and deputies their career stages and last year's
training, so that the principals' credit completion is computed on rows (before, both tables were
empty and each principal's stage and credits were looked up in nothing): a first stage from the
post's start for 92 % of them (reserve, new, growing, mature and expert in turn), a later one for a
third of those, and 0–6 trainings of 1–5 credits in the calendar year before the date, one more the
year before. Added alone to a database built before it with ``nightly.py --reuse --add-careers``.
"""

from __future__ import annotations

import datetime

from django.db import connection


def _execute(statement: str, params: dict | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or {})  # {}: "%%" is read as "%" in every statement


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def build_people(day: datetime.date) -> dict[str, int]:
    p = {"day": day, "last_year": day.year - 1}
    _execute(
        """
        CREATE TEMP TABLE bench_post AS
        SELECT row_number() OVER ()::bigint AS n, k.id AS kg, r.role, r.full_time, h.hired_on,
               CASE WHEN h.r_left < 0.04 THEN LEAST(%(day)s::date - 1, h.hired_on + 30 + floor(h.r_left * 5000)::int)
               END AS left_on
        FROM kindergartens_kindergarten k
        JOIN (SELECT kindergarten_id, count(*)::int AS classes FROM enrollment_schoolclass GROUP BY 1) c
          ON c.kindergarten_id = k.id
        CROSS JOIN LATERAL (
            SELECT 'principal' AS role, true AS full_time WHERE k.id IS NOT NULL
            UNION ALL SELECT 'deputy_principal', true WHERE c.classes >= 10
            UNION ALL SELECT 'teacher', random() < 0.93 FROM generate_series(1, 2 * c.classes - (k.id %% 3 = 0)::int)
            UNION ALL SELECT 'caregiver', true FROM generate_series(1, c.classes)
            UNION ALL SELECT 'health', random() < 0.85 WHERE k.id IS NOT NULL
            UNION ALL SELECT 'security', true WHERE k.id IS NOT NULL
        ) r
        CROSS JOIN LATERAL (SELECT %(day)s::date - 1 - floor(random() * 3650)::int AS hired_on, random() AS r_left
                            WHERE r.role IS NOT NULL) h
        """,
        p,
    )
    _execute(
        """
        INSERT INTO staff_person (id, name, gender, education, professional_title, id_hash, id_encrypted, id_last4,
                                  created_at)
        SELECT n, '基准教职工' || n, 'female', 'bachelor', 'none', md5('bench-person-' || n), '', lpad((n %% 10000)::text, 4, '0'),
               now()
        FROM bench_post
        """
    )
    _execute("SELECT setval(pg_get_serial_sequence('staff_person', 'id'), (SELECT max(id) FROM staff_person))")
    _execute(
        """
        INSERT INTO staff_staffmember (person_id, kindergarten_id, role, establishment, full_time, hired_on, left_on)
        SELECT n, kg, role, CASE WHEN n %% 2 = 0 THEN 'established' ELSE 'contract' END, full_time, hired_on, left_on
        FROM bench_post
        """
    )
    # Teacher qualifications: 60 % without expiry, 40 % expiring between 200 days before the date
    # and 1,800 after (about 4.5 % of those within the 90-day notice, a third of them renewed).
    _execute(
        """
        INSERT INTO staff_certificate (person_id, kind, number, issued_on, expires_on)
        SELECT n, 'teacher', 'BT' || n, hired_on - 30,
               CASE WHEN r < 0.4 THEN %(day)s::date - 200 + floor(r / 0.4 * 2000)::int END
        FROM (SELECT n, hired_on, random() AS r, random() AS held FROM bench_post
              WHERE role IN ('teacher', 'principal', 'deputy_principal')) t
        WHERE held < 0.95
        """,
        p,
    )
    _execute(
        """
        INSERT INTO staff_certificate (person_id, kind, number, issued_on, expires_on)
        SELECT person_id, kind, number || 'R', %(day)s::date - 10, NULL FROM staff_certificate
        WHERE expires_on BETWEEN %(day)s AND %(day)s::date + 90 AND id %% 3 = 0
        """,
        p,
    )
    _execute(
        """
        INSERT INTO staff_certificate (person_id, kind, number, issued_on, expires_on)
        SELECT n, 'principal', 'BP' || n, hired_on, hired_on + 1825 FROM bench_post
        WHERE role IN ('principal', 'deputy_principal') AND random() < 0.88
        UNION ALL
        SELECT n, 'health', 'BH' || n, i, i + 365 FROM bench_post
        CROSS JOIN LATERAL (SELECT %(day)s::date - floor(random() * 365)::int AS i WHERE n IS NOT NULL) d
        WHERE role = 'health'
        """,
        p,
    )
    _execute(
        """
        INSERT INTO staff_payfiling (kindergarten_id, year, insurance_required, insurance_covered, housing_required,
                                     housing_covered, leave_entitled, leave_taken, rotation_arranged, note, updated_at)
        SELECT kg, %(last_year)s, n, GREATEST(0, n - floor(random() * 4)::int), n, n, n, n, true, '', now()
        FROM (SELECT kg, count(*)::int AS n FROM bench_post GROUP BY kg) f
        WHERE random() < 0.9
        """,
        p,
    )
    _execute("DROP TABLE bench_post")
    _execute(
        """
        INSERT INTO governance_recognition (
            kindergarten_id, status, grade, conditions_met, conditions_total, monthly_fee, evaluation_grade,
            evaluation_cycle, applied_on, subdistrict_opinion, subdistrict_note, valid_from, valid_to, created_at,
            updated_at)
        SELECT id, CASE WHEN random() < 0.9 THEN 'recognised' ELSE 'revoked' END, 'first', '[]'::jsonb, 0, 1000, 'good',
               '', recognition_date - 30, 'agree', '', recognition_date,
               COALESCE(recognition_expiry, (recognition_date + interval '5 years')::date), now(), now()
        FROM kindergartens_kindergarten WHERE inclusive_status = 'inclusive_private' AND recognition_date IS NOT NULL
        """
    )
    _execute(
        """
        INSERT INTO governance_feealert (kindergarten_id, kind, key, detail, raised_on, status, resolved_on,
                                         resolution_note)
        SELECT id, 'above_cap', 'bench:' || id, '', raised_on, CASE WHEN r < 0.5 THEN 'open' ELSE 'resolved' END,
               CASE WHEN r >= 0.5 THEN raised_on + 30 END, ''
        FROM (SELECT id, %(day)s::date - floor(random() * 400)::int AS raised_on, random() AS r
              FROM kindergartens_kindergarten WHERE random() < 0.03) a
        """,
        p,
    )
    _execute("UPDATE kindergartens_kindergarten SET is_estate_kindergarten = true WHERE id %% 20 = 7")
    _execute(
        """
        INSERT INTO kindergartens_estategap (kindergarten_id, kind, since, resolved_on, owner, note)
        SELECT id, 'handover', %(day)s::date - 400, CASE WHEN r < 0.5 THEN NULL ELSE %(day)s::date - 200 + floor(r * 400)::int END,
               'developer', ''
        FROM (SELECT id, random() AS r FROM kindergartens_kindergarten WHERE is_estate_kindergarten) e
        """,
        p,
    )
    _execute(
        """
        INSERT INTO inspections_unlicensedcase (subdistrict_id, name, address, operator, children, discovered_on, status,
                                                resolved_on, note)
        SELECT subdistrict_id, '基准无证园' || id, '', '', 30, discovered_on, status,
               CASE WHEN status IN ('closed', 'converted') THEN discovered_on + 90 END, ''
        FROM (SELECT id, subdistrict_id, %(day)s::date - floor(random() * 700)::int AS discovered_on,
                     (ARRAY['discovered', 'ordered_to_close', 'ordered_to_convert', 'closed', 'converted'])[1 + floor(random() * 5)::int]
                         AS status
              FROM kindergartens_kindergarten WHERE id %% 40 = 3) c
        """,
        p,
    )
    careers = build_careers(day)
    return {
        **careers,
        "posts": _count("staff_staffmember"),
        "certificates": _count("staff_certificate"),
        "pay_filings": _count("staff_payfiling"),
        "recognitions": _count("governance_recognition"),
        "fee_alerts": _count("governance_feealert"),
        "estate_gaps": _count("kindergartens_estategap"),
        "unlicensed_cases": _count("inspections_unlicensedcase"),
    }


def build_careers(day: datetime.date) -> dict[str, int]:
    """Career stages and training records of every principal's and deputy's person (see the module's docstring)."""
    p = {"day": day, "last_year": day.year - 1}
    principals = "SELECT person_id, kindergarten_id, hired_on FROM staff_staffmember WHERE role IN ('principal', 'deputy_principal')"
    _execute(
        f"""
        INSERT INTO staff_careerstagerecord (person_id, kindergarten_id, stage, since, note)
        SELECT person_id, kindergarten_id, (ARRAY['reserve', 'new', 'growing', 'mature', 'expert'])[1 + person_id %% 5],
               hired_on, ''
        FROM ({principals}) p WHERE person_id %% 25 <> 7 AND person_id %% 25 <> 11
        UNION ALL
        SELECT person_id, kindergarten_id, (ARRAY['new', 'growing', 'mature', 'expert', 'expert'])[1 + person_id %% 5],
               hired_on + 400 + (person_id %% 1100)::int, ''
        FROM ({principals}) p
        WHERE person_id %% 3 = 0 AND person_id %% 25 NOT IN (7, 11) AND hired_on + 400 + (person_id %% 1100)::int < %(day)s
        """,
        p,
    )
    _execute(
        f"""
        INSERT INTO staff_trainingrecord (person_id, kindergarten_id, title, attended_on, hours, credits, level, mode,
                                          source)
        SELECT person_id, kindergarten_id, '基准培训', make_date(y, 1, 1) + floor(random() * 365)::int, 8,
               1 + floor(random() * 5), 'district', 'offline', 'individual'
        FROM ({principals}) p
        CROSS JOIN LATERAL (
            SELECT %(last_year)s AS y FROM generate_series(1, (person_id %% 7)::int)
            UNION ALL SELECT %(last_year)s - 1
        ) t
        """,
        p,
    )
    return {"career_stages": _count("staff_careerstagerecord"), "trainings": _count("staff_trainingrecord")}
