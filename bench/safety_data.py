"""Safety records for the synthetic district of bench/nightly.py, written by the database itself.

`build_safety(day, hazards)` gives every kindergarten a safety profile (about one in eight with a
gap in the four coverages), an evacuation drill last quarter and, for 85 %, one this quarter, and
spreads `hazards` hazards over the kindergartens at random: found in the two years before `day`,
5 % major, deadlines 30 / 7 days after (the seeded rule set), 88 % of those found more than 20 days
before `day` closed (a fifth of them after their deadline), the rest open, rectifying or
submitted. No Python loop over rows; run after `nightly.build_district` (same session, seeded
`random()`), before its VACUUM ANALYZE or followed by one.

`safety_source(day)` runs the safety indicators' own queries for every scope (timed alone by
nightly.py); `without_safety()` unregisters the safety indicators, panel and PDF chapter, for
timings as they were before (``nightly.py --without-safety``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection

from reports.registry import IndicatorContext

CATEGORIES = ("building", "fire", "food", "facilities", "transport", "staff", "three_defences", "other")


def without_safety() -> None:
    """The engine, the dashboard and the PDF as they were before the safety app registered anything."""
    from reports import registry
    from safety import indicators

    registry.unregister(indicators.SOURCE)
    registry.unregister_panel(indicators.PANEL)
    registry.unregister_pdf_section(indicators.PDF_SECTION)


def safety_source(day: datetime.date) -> Any:
    """The safety indicators' own GROUP BYs for every scope, as the engine runs them."""
    from kindergartens.choices import SponsorType
    from kindergartens.models import Subdistrict
    from reports.scopes import Scope
    from safety.indicators import SOURCE

    scopes = (
        Scope.district(),
        *(Scope.of_subdistrict(s) for s in Subdistrict.objects.order_by("code")),
        *(Scope.of_sponsor_type(s) for s in SponsorType.values),
    )
    from common.pg import bulk_query_settings

    with bulk_query_settings():  # as inside the engine
        return SOURCE.compute(IndicatorContext(day=day, scopes=scopes, only=None, targets={}))


def _execute(statement: str, params: dict | list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _scalar(statement: str) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(statement)
        return cursor.fetchone()[0]


def build_safety(day: datetime.date, hazards: int) -> dict[str, int]:
    quarter = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    _execute(
        """
        INSERT INTO safety_safetyprofile (
            kindergarten_id, staff_count, safety_manager, safety_manager_phone, full_time_safety_managers,
            guards_full_time, guards_part_time, guard_company, guard_company_licensed, guard_certificates,
            carers_per_class, alarm_installed, alarm_linked, alarm_last_tested, cameras, video_areas,
            video_blind_spots, video_retention_days, video_linked, intrusion_alarm_installed, intrusion_log_days,
            access_control_installed, access_log_days, closed_campus, updated_at)
        SELECT k.id, 20 + floor(r.a * 40)::int, '安全主任', '', 1,
               CASE WHEN r.b < 0.04 THEN 2 ELSE 3 END, 1, '', true, '',
               2, r.c >= 0.02, r.c >= 0.04, %(day)s::date - floor(r.a * 60)::int, 20 + floor(r.b * 40)::int,
               '["gates", "classrooms"]'::jsonb, '', 30, r.d >= 0.04, true, 30, true, 180, r.e >= 0.03, now()
        FROM kindergartens_kindergarten k
        CROSS JOIN LATERAL (SELECT random() AS a, random() AS b, random() AS c, random() AS d, random() AS e
                            WHERE k.id IS NOT NULL) r
        """,
        {"day": day},
    )
    _execute(
        """
        INSERT INTO safety_drill (kindergarten_id, held_on, kind, participants, note)
        SELECT id, %(previous)s::date + 20, 'evacuation', 200, '' FROM kindergartens_kindergarten
        UNION ALL
        SELECT id, %(quarter)s::date + 10, 'fire', 200, '' FROM kindergartens_kindergarten WHERE random() < 0.85
        """,
        {"previous": quarter - datetime.timedelta(days=90), "quarter": quarter},
    )
    _execute(
        "CREATE TEMP TABLE bench_kg AS SELECT (row_number() OVER (ORDER BY id) - 1)::int AS i, id FROM kindergartens_kindergarten"
    )
    _execute(
        """
        INSERT INTO safety_hazard (
            kindergarten_id, category, severity, description, location, found_on, deadline, owner, status,
            closed_on, created_at, updated_at)
        SELECT k.id, (%(categories)s::text[])[1 + floor(h.r_category * 8)::int], h.severity,
               '基准隐患 ' || h.n, '', h.found_on, h.deadline, '责任人',
               CASE WHEN h.recent OR h.r_state >= 0.88 THEN (ARRAY['open', 'rectifying', 'submitted'])[1 + floor(h.r_category * 3)::int]
                    ELSE 'closed' END,
               CASE WHEN NOT h.recent AND h.r_state < 0.88
                    THEN LEAST(%(day)s::date, h.deadline + CASE WHEN h.r_state < 0.18 THEN 1 + floor(h.r_late * 20)::int
                                                          ELSE -floor(h.r_late * (h.deadline - h.found_on))::int END) END,
               now(), now()
        FROM (
            SELECT g AS n, floor(random() * (SELECT count(*) FROM bench_kg))::int AS kg, random() AS r_category,
                   random() AS r_state, random() AS r_late, found_on, found_on >= %(day)s::date - 20 AS recent,
                   severity, found_on + CASE WHEN severity = 'major' THEN 7 ELSE 30 END AS deadline
            FROM generate_series(1, %(hazards)s) g
            CROSS JOIN LATERAL (SELECT %(day)s::date - floor(random() * 730)::int AS found_on,
                                       CASE WHEN random() < 0.05 THEN 'major' ELSE 'general' END AS severity
                                WHERE g IS NOT NULL) f
        ) h
        JOIN bench_kg k ON k.i = h.kg
        """,
        {"day": day, "hazards": hazards, "categories": list(CATEGORIES)},
    )
    _execute("DROP TABLE bench_kg")
    return {
        "profiles": _scalar("SELECT count(*) FROM safety_safetyprofile"),
        "drills": _scalar("SELECT count(*) FROM safety_drill"),
        "hazards": _scalar("SELECT count(*) FROM safety_hazard"),
        "hazards_open": _scalar("SELECT count(*) FROM safety_hazard WHERE status <> 'closed'"),
    }
