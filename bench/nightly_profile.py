"""Times the nightly job alone (no PDF) on an existing benchmark database, and checks its rows.

Usage (DATABASE_URL names a database built by ``bench/nightly.py --build-only``; its name must
contain "bench"):

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_x \
        .venv/bin/python bench/nightly_profile.py --case new|rerun [--profile out.prof] [--md5]

- ``--case new``: the date's rows are deleted (and the tables vacuumed) before the timing, as on
  a real night, when the date has no rows yet.
- ``--case rerun``: the date's rows are left in place, so the job's DELETE of them is timed too.

Prints one line of JSON: wall and CPU seconds, load averages at the start and the end, and with
``--md5`` the md5 of the date's snapshots (ordered by key, without ``computed_at``) and of the
scorecards (the recipe of docs/benchmarks.md). Run it from each worktree, alternately.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chaoyang_preschool.settings")
os.environ.setdefault("REPORTS_ROOT", str(Path(tempfile.gettempdir()) / "portal-bench-reports"))

import django

django.setup()

from django.db import connection  # noqa: E402

from reports import services  # noqa: E402
from reports.choices import RunStatus  # noqa: E402

SNAPSHOT_MD5 = """
SELECT count(*), md5(string_agg(concat_ws('|', date, scope_type, scope_key, subdistrict_id, indicator,
    numerator, denominator, value, target, met, national_target, national_met, population_basis,
    reports_expected, reports_received, seats_expected, seats_reported, provisional),
    E'\\n' ORDER BY date, scope_type, scope_key, indicator))
FROM reports_indicatorsnapshot WHERE date = %s
"""
CARD_MD5 = """
SELECT count(*), md5(string_agg(concat_ws('|', year, subdistrict_id, method_id, date, items::text, score,
    rank, previous_score, status, published_at), E'\\n' ORDER BY year, subdistrict_id))
FROM reports_scorecard
"""
OTHER_MD5 = """
SELECT (SELECT md5(string_agg(concat_ws('|', subdistrict_id, year, cohort, demand, seats, shortfall), E'\\n'
        ORDER BY subdistrict_id, year, cohort)) FROM reports_seatforecast WHERE date = %s),
       (SELECT md5(string_agg(concat_ws('|', kind, subdistrict_id, kindergarten_id, year, demand, supply, shortfall,
        message), E'\\n' ORDER BY kind, subdistrict_id, kindergarten_id, year)) FROM reports_earlywarning
        WHERE date = %s)
"""


# Every table the job writes rows of a date to (the standings too: a real night has none of its date).
DATED_TABLES = (
    "reports_indicatorsnapshot",
    "reports_seatforecast",
    "reports_earlywarning",
    "reports_subdistrictstanding",
    "reports_figurestanding",
)


def clear(day: datetime.date) -> None:
    with connection.cursor() as cursor:
        for table in DATED_TABLES:
            cursor.execute(f"DELETE FROM {table} WHERE date = %s", [day])
    connection.close()
    with connection.cursor() as cursor:  # autocommit: VACUUM cannot run in a transaction
        cursor.execute(f"VACUUM ANALYZE {', '.join(DATED_TABLES)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--date", type=datetime.date.fromisoformat, default=datetime.date(2025, 10, 15))
    parser.add_argument("--case", choices=("new", "rerun"), default="rerun")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the job to this file")
    parser.add_argument("--md5", action="store_true")
    args = parser.parse_args()
    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("the database's name must contain 'bench'")
    if args.case == "new":
        clear(args.date)
    out = {"case": args.case, "code": str(Path.cwd()), "load_start": os.getloadavg()}
    profiler = cProfile.Profile() if args.profile else None
    with mock.patch.object(services, "render_district_report", return_value=""):
        started, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        run = services.compute_indicators(date=args.date)
        if profiler:
            profiler.disable()
        out["seconds"] = round(time.perf_counter() - started, 2)
        out["cpu"] = round(time.process_time() - cpu, 2)
    out["load_end"] = os.getloadavg()
    if run.status != RunStatus.SUCCEEDED:
        raise SystemExit(f"run {run.pk} ended {run.status}: {run.error}")
    out["snapshots"], out["warnings"] = run.snapshot_count, run.warning_count
    if profiler:
        profiler.dump_stats(args.profile)
    if args.md5:
        with connection.cursor() as cursor:
            cursor.execute(SNAPSHOT_MD5, [args.date])
            out["snapshots_md5"] = cursor.fetchone()
            cursor.execute(CARD_MD5)
            out["cards_md5"] = cursor.fetchone()
            cursor.execute(OTHER_MD5, [args.date, args.date])
            out["forecast_warnings_md5"] = cursor.fetchone()
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
