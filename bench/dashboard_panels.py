"""Times the district dashboard's panels one by one, and the whole page, in the checkout it is run from.

    cd <checkout> && SECRET_KEY=x DATABASE_URL=postgres://…/portal_bench_… \
        .venv/bin/python bench/dashboard_panels.py LABEL RUNS [--queries] [--profile PANEL]

Against a database `bench/nightly.py` built (its user bench-bureau, a bureau official), with the
dashboard cache off. Per run: one GET of `/dashboard/` (wall, Python CPU, SQL), then each registered
panel's ``build(user, None)`` and `build_dashboard` alone, their queries timed by
`connection.execute_wrapper`. One warm-up first; the first request's full garbage collections
(generation 2) are reported apart, since a fresh process pays them once; where the checkout has
`chaoyang_preschool.startup.freeze_start_up_objects` (wsgi.py's start-up), it runs first. Prints one JSON line
with the medians and the load average at the start and end; ``--queries`` adds each panel's
slowest queries (last run), ``--profile PANEL`` prints a cProfile of that panel's build.
"""

from __future__ import annotations

import cProfile
import gc
import json
import os
import pstats
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chaoyang_preschool.settings")
os.environ["DASHBOARD_CACHE_SECONDS"] = "0"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.choices import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from reports import registry  # noqa: E402
from reports.dashboard import build_dashboard  # noqa: E402

try:  # what chaoyang_preschool/wsgi.py runs at start-up, where the checkout has it
    from chaoyang_preschool.startup import freeze_start_up_objects
except ImportError:
    freeze_start_up_objects = None


class Timer:
    """Per-query wall times of what runs inside it (`connection.execute_wrapper`)."""

    def __init__(self) -> None:
        self.queries: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((time.perf_counter() - started, sql))


def timed(call) -> dict:
    timer = Timer()
    with connection.execute_wrapper(timer):
        started_cpu, started = time.process_time(), time.perf_counter()
        result = call()
        wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    return {
        "wall": wall,
        "cpu": cpu,
        "sql": sum(t for t, _ in timer.queries),
        "queries": timer.queries,
        "result": result,
    }


def main() -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if freeze_start_up_objects is not None:
        freeze_start_up_objects()
    label, runs = sys.argv[1], int(sys.argv[2])
    show_queries = "--queries" in sys.argv
    profile = sys.argv[sys.argv.index("--profile") + 1] if "--profile" in sys.argv else None
    user, _created = User.objects.get_or_create(username="bench-bureau", defaults={"role": Role.BUREAU_OFFICIAL})
    client = Client()
    client.force_login(user)
    load_before = os.getloadavg()

    collections: list[float] = []
    started_gc: list[float] = []

    def on_gc(phase, info):
        if info["generation"] == 2:
            if phase == "start":
                started_gc.append(time.perf_counter())
            else:
                collections.append(time.perf_counter() - started_gc.pop())

    gc.callbacks.append(on_gc)
    first = timed(lambda: client.get("/dashboard/"))
    assert first["result"].status_code == 200, first["result"].status_code
    first_gc = list(collections)
    parts = {panel.name: panel.build for panel in registry.panels()}
    parts["build_dashboard"] = lambda user, subdistrict: build_dashboard(
        user=user, subdistrict=subdistrict, all_rows=False
    )
    samples: dict[str, list[dict]] = {"GET": [], **{name: [] for name in parts}}
    for _ in range(runs):
        samples["GET"].append(timed(lambda: client.get("/dashboard/")))
        for name, build in parts.items():
            samples[name].append(timed(lambda build=build: build(user, None)))
    out = {}
    for name, rows in samples.items():
        out[name] = {
            "median_ms": round(statistics.median(r["wall"] for r in rows) * 1000, 1),
            "min_ms": round(min(r["wall"] for r in rows) * 1000, 1),
            "cpu_ms": round(statistics.median(r["cpu"] for r in rows) * 1000, 1),
            "sql_ms": round(statistics.median(r["sql"] for r in rows) * 1000, 1),
            "queries": len(rows[-1]["queries"]),
        }
        if show_queries and name != "GET":
            slowest = sorted(rows[-1]["queries"], reverse=True)[:4]
            out[name]["slowest"] = [(round(t * 1000, 1), sql[:300]) for t, sql in slowest]
    result = {
        "label": label,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "first_get_ms": round(first["wall"] * 1000),
        "first_get_full_gc_ms": [round(t * 1000) for t in first_gc],
        "later_full_gc_ms": [round(t * 1000) for t in collections[len(first_gc) :]],
        "parts": out,
    }
    print(json.dumps(result, ensure_ascii=False))
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(parts[profile], user, None)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
