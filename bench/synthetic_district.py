"""The synthetic district of `bench/nightly.py`: the benchmark database dropped and recreated, and
kindergartens, classes, population (and safety data) written by PostgreSQL itself with
``INSERT … SELECT generate_series`` and a fixed seed, so every build at a scale is the same.
Imported after ``django.setup()``."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any

import psycopg2
from baseline_sql import OPERATING, PUBLIC, TARGET_TYPES
from django.conf import settings
from django.db import connection
from people_data import build_people
from psycopg2 import sql
from safety_data import build_safety

from enrollment.choices import PopulationBasis
from enrollment.models import SchoolYear

SEEDED_SUBDISTRICTS = 43
KINDERGARTENS_PER_SUBDISTRICT = 270_000 / 40_000
POPULATION_YEARS = 5  # the forecast reads at most the last five years (enrollment.forecast.HISTORY_YEARS)
SEED = 0.4242

# --- database ----------------------------------------------------------------------------------


def recreate_database() -> None:
    """Drops and recreates the benchmark database (refuses any name without "bench")."""
    db = settings.DATABASES["default"]
    if connection.vendor != "postgresql":
        raise SystemExit("bench/nightly.py needs PostgreSQL: set DATABASE_URL=postgres://…/portal_bench")
    name = db["NAME"]
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the benchmark database's name must contain 'bench'")
    connection.close()
    maintenance = psycopg2.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )
    maintenance.autocommit = True
    with maintenance.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    maintenance.close()


def execute(statement: str, params: dict | list | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def scalar(statement: str, params: dict | list | None = None) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()[0]


def build_district(kindergartens: int, subdistricts: int, day: datetime.date, hazards: int = 0) -> dict[str, Any]:
    """The synthetic district, written by the database itself; returns what was built and how long it took."""
    start_year = SchoolYear.start_year_for(day)
    steps: dict[str, float] = {}

    def step(name: str, work: Callable[[], object]) -> None:
        started = time.perf_counter()
        work()
        steps[name] = time.perf_counter() - started

    # Repeatable data: random() follows the seed within this session (no parallel workers insert).
    execute("SELECT setseed(%s)", [SEED])
    step(
        "subdistricts",
        lambda: execute(
            """
            INSERT INTO kindergartens_subdistrict (code, name, kind)
            SELECT '9' || lpad(g::text, 11, '0'), '基准街道' || g, CASE WHEN g %% 2 = 0 THEN 'street' ELSE 'area' END
            FROM generate_series(1, %s) g
            """,
            [max(0, subdistricts - SEEDED_SUBDISTRICTS)],
        ),
    )

    def kindergarten_rows() -> None:
        execute(
            """
            CREATE TEMP TABLE bench_subdistrict AS
            SELECT (row_number() OVER (ORDER BY id) - 1)::int AS i, id FROM kindergartens_subdistrict
            """
        )
        # Sponsor mix near the national one: about 55 % public, 30 % non-profit, 15 % for-profit
        # private; 80 % of the non-profit ones recognised as inclusive, 30 % of those with a
        # three-year recognition (so some have lapsed by the date); 2 % unlicensed, 2 % suspended
        # or closed; community points 4 %.
        execute(
            """
            CREATE TEMP TABLE bench_plan AS
            WITH draw AS MATERIALIZED (
                SELECT g AS n, floor(random() * %(subdistricts)s)::int AS sd, random() AS r_sponsor,
                       random() AS r_inclusive, random() AS r_recognition, random() AS r_licence,
                       random() < 0.3 AS toddler, 6 + floor(random() * 9)::int AS classes,
                       17 + floor(random() * 10)::int AS seats_per_class
                FROM generate_series(1, %(kindergartens)s) g
            ), typed AS (
                SELECT draw.*,
                       CASE WHEN r_sponsor < 0.40 THEN 'education_bureau'
                            WHEN r_sponsor < 0.44 THEN 'government_organ'
                            WHEN r_sponsor < 0.47 THEN 'state_enterprise'
                            WHEN r_sponsor < 0.48 THEN 'army'
                            WHEN r_sponsor < 0.51 THEN 'subdistrict'
                            WHEN r_sponsor < 0.55 THEN 'village_collective'
                            WHEN r_sponsor < 0.85 THEN 'private_nonprofit'
                            ELSE 'private_forprofit' END AS sponsor
                FROM draw
            )
            SELECT n, 'BK' || lpad(n::text, 8, '0') AS code, sd, sponsor, toddler, classes, seats_per_class,
                   CASE WHEN sponsor IN %(public)s THEN 'public'
                        WHEN sponsor = 'private_nonprofit' AND r_inclusive < 0.8 THEN 'inclusive_private'
                        ELSE 'non_inclusive_private' END AS inclusive,
                   r_recognition,
                   CASE WHEN r_licence < 0.92 THEN 'licensed'
                        WHEN r_licence < 0.96 THEN 'community_point'
                        WHEN r_licence < 0.98 THEN 'unlicensed'
                        WHEN r_licence < 0.99 THEN 'suspended'
                        ELSE 'closed' END AS licence
            FROM typed
            """,
            {"subdistricts": subdistricts, "kindergartens": kindergartens, "public": PUBLIC},
        )
        execute(
            """
            INSERT INTO kindergartens_kindergarten (
                code, name, address, phone, principal, sponsor_type, inclusive_status, recognition_date,
                recognition_expiry, licence_status, is_village_centre, day_type, is_estate_kindergarten, estate_name,
                estate_stage, estate_planning_gap, estate_construction_gap, estate_handover_gap, estate_use_gap,
                approved_capacity, international_seats, has_toddler_classes, name_compliant, name_violations,
                created_at, updated_at, subdistrict_id, sponsor_name)
            SELECT p.code, '基准第' || p.n || '幼儿园', '', '', '', p.sponsor, p.inclusive, r.recognised,
                   CASE WHEN p.r_recognition < 0.3 THEN (r.recognised + interval '3 years')::date END,
                   p.licence, false, 'full_day', false, '', '', false, false, false, false,
                   (p.classes + p.toddler::int) * p.seats_per_class, 0, p.toddler, true, '[]'::jsonb,
                   now(), now(), s.id, ''
            FROM bench_plan p
            JOIN bench_subdistrict s ON s.i = p.sd
            CROSS JOIN LATERAL (
                SELECT CASE WHEN p.inclusive = 'inclusive_private'
                            THEN date '2019-09-01' + floor(p.r_recognition * 2200)::int END AS recognised
            ) r
            """
        )

    step("kindergartens", kindergarten_rows)
    school_year = SchoolYear.objects.create(start_year=start_year)

    # Position 0 is the toddler class (kindergartens with toddler classes only); every tenth a
    # mixed class; the rest small, middle, senior in turn. 8–25 children (toddler 6–19), and 3 %
    # of the classes one to five above their type's limit.
    step(
        "classes",
        lambda: execute(
            """
            INSERT INTO enrollment_schoolclass (kindergarten_id, school_year_id, class_type, name, approved_size, enrolled)
            SELECT k.id, %(school_year)s, t.class_type, t.label || c.n || '班', t.size,
                   CASE WHEN c.r_over < 0.03 THEN t.size + 1 + floor(c.r_size * 5)::int
                        ELSE t.low + floor(c.r_size * t.spread)::int END
            FROM bench_plan p
            JOIN kindergartens_kindergarten k ON k.code = p.code
            CROSS JOIN LATERAL (
                SELECT n, random() AS r_over, random() AS r_size,
                       CASE WHEN n = 0 THEN 'toddler' WHEN n %% 10 = 0 THEN 'mixed'
                            WHEN n %% 3 = 1 THEN 'small' WHEN n %% 3 = 2 THEN 'middle' ELSE 'senior' END AS class_type
                FROM generate_series(CASE WHEN p.toddler THEN 0 ELSE 1 END, p.classes) n
            ) c
            JOIN (VALUES ('toddler', '托', 20, 6, 14), ('small', '小', 25, 8, 18), ('middle', '中', 30, 8, 18),
                         ('senior', '大', 35, 8, 18), ('mixed', '混', 30, 8, 18)) t(class_type, label, size, low, spread)
              ON t.class_type = c.class_type
            """,
            {"school_year": school_year.pk},
        ),
    )

    # Population: per sub-district a gross enrolment rate drawn between 80 % and 110 % sets the
    # 3–5 cohort from the children actually enrolled there (300 a year of age where nobody is);
    # each age ±10 %, earlier years 1 % smaller per year.
    def population_rows() -> None:
        execute(
            """
            CREATE TEMP TABLE bench_enrolled AS
            SELECT s.id, COALESCE(e.children, 0) AS children, 0.8 + random() * 0.3 AS rate
            FROM kindergartens_subdistrict s
            LEFT JOIN (
                SELECT k.subdistrict_id, SUM(c.enrolled) AS children
                FROM enrollment_schoolclass c JOIN kindergartens_kindergarten k ON k.id = c.kindergarten_id
                WHERE c.class_type <> 'toddler' AND k.licence_status IN %(operating)s
                GROUP BY k.subdistrict_id
            ) e ON e.subdistrict_id = s.id
            """,
            {"operating": OPERATING},
        )
        execute(
            """
            INSERT INTO enrollment_childpopulation (subdistrict_id, year, age, basis, children)
            SELECT e.id, y, a, %(basis)s,
                   round(CASE WHEN e.children > 0 THEN e.children / e.rate / 3 ELSE 300 END
                         * (0.9 + random() * 0.2) * (1 - 0.01 * (%(year)s - y)))::int
            FROM bench_enrolled e, generate_series(%(first)s, %(year)s) y, generate_series(0, 6) a
            """,
            {"basis": PopulationBasis.RESIDENT.value, "year": start_year, "first": start_year - POPULATION_YEARS + 1},
        )
        execute(
            """
            INSERT INTO enrollment_forecastsetting (subdistrict_id, migration_factor)
            SELECT id, round((0.95 + random() * 0.1)::numeric, 3) FROM kindergartens_subdistrict WHERE random() < 0.1
            """
        )

    step("population", population_rows)
    safety: dict[str, int] = {}
    step("safety", lambda: safety.update(build_safety(day, hazards)))
    people: dict[str, int] = {}
    step("people", lambda: people.update(build_people(day)))
    for table in ("bench_plan", "bench_subdistrict", "bench_enrolled"):
        execute(f"DROP TABLE {table}")
    step("vacuum_analyze", lambda: execute("VACUUM ANALYZE"))

    built = {
        "subdistricts": scalar("SELECT count(*) FROM kindergartens_subdistrict"),
        "kindergartens": scalar("SELECT count(*) FROM kindergartens_kindergarten"),
        "classes": scalar("SELECT count(*) FROM enrollment_schoolclass"),
        "children": scalar("SELECT sum(enrolled) FROM enrollment_schoolclass"),
        "children_in_targets": scalar(
            """SELECT sum(c.enrolled) FROM enrollment_schoolclass c JOIN kindergartens_kindergarten k
               ON k.id = c.kindergarten_id WHERE c.class_type IN %s AND k.licence_status IN %s""",
            [TARGET_TYPES, OPERATING],
        ),
        "population_rows": scalar("SELECT count(*) FROM enrollment_childpopulation"),
        **safety,
        **people,
        "database_size": scalar("SELECT pg_size_pretty(pg_database_size(current_database()))"),
    }
    return {"steps": steps, "seconds": sum(steps.values()), "built": built}


# --- timing ------------------------------------------------------------------------------------
