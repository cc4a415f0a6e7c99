"""Times the nightly computation on a synthetic district of N kindergartens (PostgreSQL only).

Usage (the database named in DATABASE_URL is DROPPED and recreated; its name must contain
"bench", so no other database can be hit by mistake):

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python bench/nightly.py --kindergartens 20000 [--subdistricts N]

What it does:

1. Drops and recreates the database, migrates it (the migrations seed Chaoyang's 43
   sub-districts, the class-size limits and the targets).
2. Builds the district in the database with ``INSERT … SELECT generate_series`` (no Python
   loop over rows): sub-districts up to ``--subdistricts`` (default: the 43 seeded ones up to
   1,000 kindergartens, then one per 6.75 kindergartens — 40,000 at the national 270,000), the
   kindergartens spread at random over them (sponsor types, inclusive recognitions with and
   without expiry, licence states, toddler classes), 6–14 classes each for the school year of
   the statistical date (about 10.3 per kindergarten with the toddler classes; 16–17 children per
   class on average, 3 % above the class-size limit: about 45 million children at 270,000
   kindergartens), resident population aged 0–6 per sub-district for the five years the
   forecast reads, and migration factors for a tenth of the sub-districts; the safety records
   (``bench/safety_data.py``: a profile per kindergarten, drills, ``--hazards`` hazards, by default
   5 per kindergarten); staff posts with their people and certificates, the principals' career
   stages and training, pay filings, recognitions, fee alerts, estate gaps and unlicensed cases
   (``bench/people_data.py``; added to a database built before them with ``--reuse
   --add-people``, the career stages and training alone with ``--reuse --add-careers``). Then
   VACUUM ANALYZE.
3. Times, ``--repeat`` times each (median reported):
   a. the engine: ``reports.indicators.compute_indicators_for(day)`` — every indicator for every
      scope, the forecast included;
   b. the nightly job without the PDF: ``reports.services.compute_indicators(date=day)`` with the
      report step switched off (indicators, forecast, warnings, delete and bulk-insert of the
      date's rows, the run record, all in its transaction);
   c. one hand-written SQL query computing the three targets per sub-district (numerators,
      population denominator, values), fetched into Python;
   d. the safety source alone (``safety.indicators.compute_safety_figures``: its two GROUP BYs for
      every scope), part of a;
   e. the second baseline, ``bench/baseline_sql.EVERY_FIGURE_SQL``: one hand-written statement
      (GROUPING SETS) computing every figure the engine stores but the forecast shortfall, for
      every scope, alternated with the engine handed the forecast (so that both compute the same
      figures);
   and prints a/c, b/c and — the goal's ratio — e's engine / e's statement ("ENGINE / HAND-WRITTEN
   SQL, SAME FIGURES, EVERY SCOPE", ``ratio_engine_all_scopes`` in ``--json``). It checks on every
   run that the engine and the hand-written SQL agree: every sub-district's three targets for c,
   every (scope, indicator)'s numerator, denominator and completeness for e (the counts compared
   are printed), so the timings are of the same answers.
4. With ``--web`` (default up to 20,000 kindergartens): copies the snapshots to the
   ``--history-days`` earlier nights (so the trend reads a year of history, as it would in
   production), then times the district dashboard page through Django's test client, logged in as
   a bureau official (median of ``--page-runs`` after one warm-up), and — with ``--pdf`` (default
   up to 2,000 kindergartens, the Beijing scale) — the district PDF (``render_report_file``) and
   the whole nightly job with its PDF. ``--reuse --pdf-only`` times only the PDFs (the district's, ten
   sub-districts'; ``--all-subdistricts``: the nightly pass over every sub-district), so the code
   before and after can be alternated quickly on one database.

Nothing here is a test: it prints figures for docs/benchmarks.md. ``--json FILE`` also writes
them as JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chaoyang_preschool.settings")
# The PDFs rendered here are throwaway: keep them out of the project's var/reports (one folder,
# reused by every run, so runs do not pile up files).
os.environ.setdefault("REPORTS_ROOT", str(Path(tempfile.gettempdir()) / "portal-bench-reports"))

import django

django.setup()

from baseline_sql import (  # noqa: E402
    check_agreement,
    check_every_figure,
    every_figure,
    hand_written,
)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from people_data import build_careers, build_people  # noqa: E402
from safety_data import safety_source, without_safety  # noqa: E402
from synthetic_district import (  # noqa: E402
    KINDERGARTENS_PER_SUBDISTRICT,
    SEED,
    SEEDED_SUBDISTRICTS,
    build_district,
    execute,
    recreate_database,
    scalar,
)

from accounts.choices import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from common.pg import bulk_query_settings  # noqa: E402
from enrollment.forecast import forecast_seats  # noqa: E402
from reports import services  # noqa: E402
from reports.choices import RunStatus  # noqa: E402
from reports.indicators import compute_indicators_for  # noqa: E402
from reports.models import IndicatorSnapshot  # noqa: E402
from reports.pdf import render_report_file  # noqa: E402

DEFAULT_DAY = datetime.date(2025, 10, 15)  # school year 2025–26, population 2025


def timed(work: Callable[[], Any], repeat: int) -> dict[str, Any]:
    """Runs `work` `repeat` times; wall times, the median, queries and the last result.

    `cpu` is the median CPU time of this Python process (Django, psycopg2 decoding rows, the
    engine's own arithmetic); the rest of the wall time is mostly spent waiting for PostgreSQL.
    """
    times: list[float] = []
    cpu: list[float] = []
    queries: list[int] = []
    result = None
    for _run in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            result = work()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        queries.append(len(captured.captured_queries))
    return {
        "times": times,
        "median": statistics.median(times),
        "cpu": statistics.median(cpu),
        "queries": queries[-1],
        "result": result,
    }


def alternated(first: Callable[[], Any], second: Callable[[], Any], repeat: int) -> tuple[dict, dict]:
    """`timed` for two pieces of work run in turn (first, second, first, …), so that a change of
    load on the machine stretches both alike."""
    runs = [(timed(first, 1), timed(second, 1)) for _run in range(repeat)]
    merged = []
    for results in zip(*runs, strict=True):
        times = [t for r in results for t in r["times"]]
        merged.append(
            {
                "times": times,
                "median": statistics.median(times),
                "cpu": statistics.median(r["cpu"] for r in results),
                "queries": results[-1]["queries"],
                "result": results[-1]["result"],
            }
        )
    return merged[0], merged[1]


def without_jit(query: Callable[[datetime.date], Any], day: datetime.date) -> Any:
    with bulk_query_settings():
        return query(day)


def run_job_without_pdf(day: datetime.date) -> Any:
    # The report step switched off: at national scale a PDF listing 40,000 sub-districts is no
    # report anybody reads, and the PDF is timed on its own at the Beijing scale.
    with mock.patch.object(services, "render_district_report", return_value=""):
        run = services.compute_indicators(date=day)
    if run.status != RunStatus.SUCCEEDED:
        raise RuntimeError(f"computation run {run.pk} ended {run.status}: {run.error}")
    return run


def run_job_with_pdf(day: datetime.date) -> Any:
    run = services.compute_indicators(date=day)
    if run.status != RunStatus.SUCCEEDED or not run.report_file:
        raise RuntimeError(f"computation run {run.pk} ended {run.status}: {run.error}")
    return run


def add_to_database(option: str, table: str, build: Callable[[datetime.date], dict], day: datetime.date) -> dict:
    """`build` run on a database built before it, whose `table` is still empty (`option`: the flag asking for it)."""
    if scalar(f"SELECT count(*) FROM {table}"):
        raise SystemExit(f"{option}: the database already has rows in {table}")
    started = time.perf_counter()
    execute("SELECT setseed(%s)", [SEED])
    added = build(day)
    execute("ANALYZE")
    print(f"added in {time.perf_counter() - started:.1f} s: {added}")
    return added


def copy_history(day: datetime.date, days: int) -> float:
    """The date's snapshots copied to the `days` nights before it, as a year of nightly runs leaves them."""
    started = time.perf_counter()
    columns = (
        "scope_type, scope_key, subdistrict_id, indicator, numerator, denominator, value, target, met, "
        "national_target, national_met, population_basis, computed_at"
    )
    execute(
        f"""
        INSERT INTO reports_indicatorsnapshot (date, {columns})
        SELECT s.date - g, {columns} FROM reports_indicatorsnapshot s, generate_series(1, %s) g WHERE s.date = %s
        """,
        [days, day],
    )
    execute("ANALYZE reports_indicatorsnapshot")
    return time.perf_counter() - started


def time_page(client: Client, url: str, runs: int) -> dict[str, Any]:
    """One warm-up request, then `runs` timed ones; each must answer 200."""
    first = time.perf_counter()
    response = client.get(url)
    warm_up = time.perf_counter() - first
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    measured = timed(lambda: client.get(url), runs)
    return {
        "url": url,
        "warm_up": warm_up,
        "times": measured["times"],
        "median": measured["median"],
        "queries": measured["queries"],
        "bytes": len(response.content),
    }


def web_timings(day: datetime.date, runs: int, pdf: bool, repeat: int) -> dict[str, Any]:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user, _created = User.objects.get_or_create(username="bench-bureau", defaults={"role": Role.BUREAU_OFFICIAL})
    client = Client()
    client.force_login(user)
    results: dict[str, Any] = {"dashboard": time_page(client, "/dashboard/", runs)}
    largest = scalar(
        """SELECT k.subdistrict_id FROM kindergartens_kindergarten k GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"""
    )
    results["subdistrict_dashboard"] = time_page(client, f"/dashboard/subdistrict/{largest}/", runs)
    if pdf:
        cold = time.perf_counter()
        path = render_report_file(date=day, subdistrict=None)
        results["pdf_first"] = time.perf_counter() - cold
        measured = timed(lambda: render_report_file(date=day, subdistrict=None), repeat)
        results["pdf"] = {
            "times": measured["times"],
            "median": measured["median"],
            "queries": measured["queries"],
            "bytes": path.stat().st_size,
        }
        measured = timed(lambda: run_job_with_pdf(day), repeat)
        results["job_with_pdf"] = {"times": measured["times"], "median": measured["median"]}
    return results


def pdf_pages(path: Path) -> int | None:
    import shutil
    import subprocess

    if not shutil.which("pdfinfo"):
        return None
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_timings(day: datetime.date, repeat: int, every_subdistrict: bool) -> dict[str, Any]:
    """--pdf-only (with --reuse, on the snapshots a previous run left): the district PDF, a sample
    of ten sub-districts' PDFs and, with `every_subdistrict`, the nightly pass over all of them."""
    from kindergartens.models import Subdistrict
    from reports.models import ComputationRun

    print(f"load average before the PDFs: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    results: dict[str, Any] = {}
    cold = time.perf_counter()
    path = render_report_file(date=day, subdistrict=None)
    results["pdf_first"] = time.perf_counter() - cold
    measured = timed(lambda: render_report_file(date=day, subdistrict=None), repeat)
    results["pdf"] = {"times": measured["times"], "median": measured["median"], "pages": pdf_pages(path)}
    print(
        f"district PDF: median {duration(measured['median'])} ({seconds(measured['times'])}; first "
        f"{duration(results['pdf_first'])}), {path.stat().st_size:,} bytes, {results['pdf']['pages']} pages"
    )
    sample = list(Subdistrict.objects.order_by("code")[:10])
    times = []
    for subdistrict in sample:
        started = time.perf_counter()
        path = render_report_file(date=day, subdistrict=subdistrict)
        times.append(time.perf_counter() - started)
    results["subdistrict_pdf"] = {"times": times, "median": statistics.median(times), "pages": pdf_pages(path)}
    print(
        f"sub-district PDF (10 sub-districts): median {duration(statistics.median(times))} ({seconds(times)}), "
        f"{results['subdistrict_pdf']['pages']} pages"
    )
    if every_subdistrict and hasattr(services, "render_subdistrict_reports"):
        run = ComputationRun.objects.create(
            date=day, status=RunStatus.SUCCEEDED, snapshot_count=1, finished_at=datetime.datetime.now(datetime.UTC)
        )
        started = time.perf_counter()
        rendered = services.render_subdistrict_reports(run.pk)
        results["subdistrict_pass"] = {"seconds": time.perf_counter() - started, "rendered": rendered}
        print(f"nightly sub-district pass: {rendered} PDFs in {duration(results['subdistrict_pass']['seconds'])}")
    return results


# --- report ------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    with open("/proc/meminfo") as meminfo:
        total_kib = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    return {
        "cpus": os.cpu_count(),
        "ram_gib": round(total_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "postgresql": scalar("SHOW server_version"),
        "shared_buffers": scalar("SHOW shared_buffers"),
        "work_mem": scalar("SHOW work_mem"),
        "max_parallel_workers_per_gather": scalar("SHOW max_parallel_workers_per_gather"),
    }


def duration(value: float) -> str:
    """Milliseconds below a second, seconds above: the small scales are all in milliseconds."""
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def seconds(values: list[float]) -> str:
    return ", ".join(duration(v) for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kindergartens", type=int, required=True)
    parser.add_argument("--subdistricts", type=int, help="default: 43 up to 1,000 kindergartens, else N / 6.75")
    parser.add_argument("--date", type=datetime.date.fromisoformat, default=DEFAULT_DAY)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep the database a previous run built (same sizes)")
    parser.add_argument("--web", action=argparse.BooleanOptionalAction, help="time the dashboard (default ≤ 20,000)")
    parser.add_argument("--pdf", action=argparse.BooleanOptionalAction, help="time the PDF (default ≤ 2,000)")
    parser.add_argument(
        "--pdf-only",
        action="store_true",
        help="with --reuse: time only the PDFs (district, sub-districts; the sub-district pass with --all-subdistricts)",
    )
    parser.add_argument(
        "--all-subdistricts", action="store_true", help="with --pdf-only: the nightly sub-district pass"
    )
    parser.add_argument("--history-days", type=int, default=365)
    parser.add_argument("--page-runs", type=int, default=10)
    parser.add_argument(
        "--build-only", action="store_true", help="build the database and stop (time later with --reuse)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--add-people",
        action="store_true",
        help="with --reuse: add the staff, governance and case records (bench/people_data.py) to a database built without them",
    )
    parser.add_argument(
        "--add-careers",
        action="store_true",
        help="with --reuse: add the principals' career stages and training (bench/people_data.py) to a database built without them",
    )
    parser.add_argument("--hazards", type=int, help="safety hazards to build (default: 5 per kindergarten)")
    parser.add_argument(
        "--without-safety", action="store_true", help="time without the safety indicators, panel and PDF chapter"
    )
    args = parser.parse_args()

    n = args.kindergartens
    subdistricts = args.subdistricts or (
        SEEDED_SUBDISTRICTS if n <= 1000 else max(SEEDED_SUBDISTRICTS, round(n / KINDERGARTENS_PER_SUBDISTRICT))
    )
    web = args.web if args.web is not None else n <= 20_000
    pdf = args.pdf if args.pdf is not None else n <= 2_000
    day = args.date
    out: dict[str, Any] = {"kindergartens": n, "subdistricts": subdistricts, "date": day.isoformat()}

    if args.reuse:
        found = scalar("SELECT count(*) FROM kindergartens_kindergarten")
        if found != n:
            raise SystemExit(f"--reuse: the database holds {found} kindergartens, not {n}")
        print("reusing the database built before")
        # Runs of earlier invocations would only add rows to replace; start each from the same state.
        IndicatorSnapshot.objects.exclude(date=day).delete()
        if args.add_people:
            out["people"] = add_to_database("--add-people", "staff_staffmember", build_people, day)
        if args.add_careers:
            out["careers"] = add_to_database("--add-careers", "staff_careerstagerecord", build_careers, day)
    else:
        recreate_database()
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        out["migrate_seconds"] = time.perf_counter() - started
        hazards = args.hazards if args.hazards is not None else 5 * n
        out["load"] = build_district(n, subdistricts, day, hazards)
        built = out["load"]["built"]
        print(
            f"built in {out['load']['seconds']:.1f} s ({', '.join(f'{k} {v:.1f} s' for k, v in out['load']['steps'].items())}): "
            f"{built['subdistricts']:,} sub-districts, {built['kindergartens']:,} kindergartens, "
            f"{built['classes']:,} classes, {built['children']:,} children ({built['children_in_targets']:,} "
            f"in the targets), {built['population_rows']:,} population rows, {built['profiles']:,} safety profiles, "
            f"{built['hazards']:,} hazards ({built['hazards_open']:,} open), {built['posts']:,} staff posts, "
            f"{built['certificates']:,} certificates, {built['recognitions']:,} recognitions, "
            f"{built['unlicensed_cases']:,} unlicensed cases; database {built['database_size']}"
        )
    out["load_average_start"] = os.getloadavg()
    print(f"load average at the start: {', '.join(f'{x:.1f}' for x in out['load_average_start'])}")
    if args.build_only:
        return
    if args.without_safety:
        without_safety()
        print("the safety indicators, panel and PDF chapter are unregistered for these timings")
    out["without_safety"] = args.without_safety
    out["machine"] = machine()
    print(f"machine: {out['machine']}")
    if args.pdf_only:
        out["pdf_only"] = pdf_timings(day, args.repeat, args.all_subdistricts)
        out["load_average"] = os.getloadavg()
        print(f"load average at the end: {', '.join(f'{x:.1f}' for x in out['load_average'])} on {os.cpu_count()} CPUs")
        if args.json:
            args.json.write_text(json.dumps(out, indent=2, default=str))
        return

    engine = timed(lambda: compute_indicators_for(day), args.repeat)
    # The baselines run with the settings the engine runs with (common.pg.bulk_query_settings).
    hand = timed(lambda: without_jit(hand_written, day), args.repeat)
    differences = check_agreement(engine["result"], hand["result"])
    # The engine on the figures the every-scope baseline computes: everything but the forecast's
    # cohort projection, which is handed to it (computed once, outside the timing).
    forecast = forecast_seats(day)
    same, every = alternated(
        lambda: compute_indicators_for(day, forecast=forecast), lambda: without_jit(every_figure, day), args.repeat
    )
    # Checked on the engine's run that was timed against it (the full engine's figures are the same).
    agreement = check_every_figure(same["result"], every["result"])
    safety = timed(lambda: safety_source(day), 1 if args.without_safety else args.repeat)
    job = timed(lambda: run_job_without_pdf(day), args.repeat)
    run = job["result"]
    out["engine"] = {k: v for k, v in engine.items() if k != "result"} | {"values": len(engine["result"])}
    out["hand_sql"] = {k: v for k, v in hand.items() if k != "result"} | {"rows": len(hand["result"])}
    out["job"] = {k: v for k, v in job.items() if k != "result"} | {
        "snapshots": run.snapshot_count,
        "warnings": run.warning_count,
    }
    out["safety_source"] = {k: v for k, v in safety.items() if k != "result"}
    out["engine_forecast_given"] = {k: v for k, v in same.items() if k != "result"}
    out["all_scopes_sql"] = {k: v for k, v in every.items() if k != "result"} | {"rows": len(every["result"][1])}
    out["differences"] = differences
    out["all_scopes_agreement"] = agreement  # figures and scopes compared, how many differ, not covered
    out["all_scopes_differences"] = agreement["differ"] + agreement["not_covered"]
    out["ratio_engine"] = engine["median"] / hand["median"]
    out["ratio_job"] = job["median"] / hand["median"]
    # The goal's ratio (≤ 1.5×): the engine and the hand-written SQL computing the same figures.
    out["ratio_engine_all_scopes"] = same["median"] / every["median"]
    out["ratio_engine_with_forecast_all_scopes"] = engine["median"] / every["median"]
    out["ratio_job_all_scopes"] = job["median"] / every["median"]
    print(
        f"engine compute_indicators_for: median {duration(engine['median'])} ({seconds(engine['times'])}; "
        f"{duration(engine['cpu'])} CPU in Python), {engine['queries']} queries, {len(engine['result']):,} values"
    )
    print(
        f"nightly job without PDF: median {duration(job['median'])} ({seconds(job['times'])}; "
        f"{duration(job['cpu'])} CPU in Python), {job['queries']} queries, "
        f"{run.snapshot_count:,} snapshots, {run.warning_count:,} warnings"
    )
    print(
        f"safety source alone: median {duration(safety['median'])} ({seconds(safety['times'])}; "
        f"{duration(safety['cpu'])} CPU in Python), {safety['queries']} queries"
    )
    print(
        f"hand-written SQL: median {duration(hand['median'])} ({seconds(hand['times'])}; "
        f"{duration(hand['cpu'])} CPU in Python), {len(hand['result']):,} rows"
    )
    differ, uncovered = agreement["differ"], agreement["not_covered"]
    verdict = "all agree" if differ == 0 else f"{differ} DIFFER"
    verdict += f", {uncovered} engine figures NOT COVERED" if uncovered else ""
    print(
        f"engine with the forecast handed in (the baseline's figures): median {duration(same['median'])} "
        f"({seconds(same['times'])}; {duration(same['cpu'])} CPU in Python), {same['queries']} queries"
    )
    print(
        f"hand-written SQL, every figure for every scope (one statement, GROUPING SETS): median "
        f"{duration(every['median'])} ({seconds(every['times'])}), {agreement['scopes']:,} scopes; "
        f"{agreement['figures']:,} figures compared (numerator, denominator, completeness), "
        f"{verdict}"
    )
    print(
        f"==> ENGINE / HAND-WRITTEN SQL, SAME FIGURES, EVERY SCOPE: {out['ratio_engine_all_scopes']:.2f}× "
        f"(goal ≤ 1.5×); with the forecast computed by the engine: {out['ratio_engine_with_forecast_all_scopes']:.2f}×; "
        f"job / it: {out['ratio_job_all_scopes']:.2f}×"
    )
    print(
        f"ratio engine / hand-written: {out['ratio_engine']:.2f}×; job / hand-written: {out['ratio_job']:.2f}×; "
        f"engine and hand-written SQL {'agree' if differences == 0 else f'DIFFER in {differences} cells'}"
    )

    if web:
        if args.history_days:
            out["history_seconds"] = copy_history(day, args.history_days)
            out["history_rows"] = IndicatorSnapshot.objects.count()
            print(f"history: {out['history_rows']:,} snapshot rows ({args.history_days} earlier nights)")
        out["web"] = web_timings(day, args.page_runs, pdf, args.repeat)
        for name in ("dashboard", "subdistrict_dashboard"):
            page = out["web"][name]
            print(
                f"{name} {page['url']}: median {page['median'] * 1000:.0f} ms (warm-up {page['warm_up'] * 1000:.0f} ms), "
                f"{page['queries']} queries, {page['bytes']:,} bytes"
            )
        if pdf:
            report = out["web"]["pdf"]
            print(
                f"district PDF: median {duration(report['median'])} ({seconds(report['times'])}; first "
                f"{duration(out['web']['pdf_first'])}), {report['bytes']:,} bytes"
            )
            job_pdf = out["web"]["job_with_pdf"]
            print(f"nightly job with PDF: median {duration(job_pdf['median'])} ({seconds(job_pdf['times'])})")
    out["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["load_average"] = os.getloadavg()
    print(f"peak memory of this process: {out['max_rss_mib']:,.0f} MiB")
    # Other work on the machine shows up here; the figures are only as quiet as the machine was.
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in out['load_average'])} on {os.cpu_count()} CPUs")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, default=str))


if __name__ == "__main__":
    main()
