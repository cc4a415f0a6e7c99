"""Single-request cost of each kind of page in bench/load.py's mix: time, CPU and queries.

Runs in one process through Django's test client with production-like settings (DEBUG off,
the template loaders Django picks then), against the load database (see docs/benchmarks.md,
"Throughput"). Each page is requested once to warm caches, then ``--runs`` times; the median
wall time and process CPU time and the query count are printed. ``--profile KIND`` prints the
cProfile of that kind's requests instead (the top ``--top`` functions by cumulative time).

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1/portal_bench_x \
        .venv/bin/python bench/page_cpu.py --runs 10 [--profile "registry list"]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--profile", help="a kind of page to profile")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--only", help="comma-separated kinds to measure")
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    args = parser.parse_args()

    os.environ.update(DEBUG="0", HTTPS="0", ALLOWED_HOSTS="testserver")
    os.environ.setdefault("ID_NUMBER_KEY", f"derived-from-secret-key:{os.environ.get('SECRET_KEY', '')}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chaoyang_preschool.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from bench.load import prepare_users

    users, subs, _pages = prepare_users(50, (10, 20, 20))
    first = {u.mix: u for u in reversed(users)}  # the first simulated user of each page mix
    bureau, official, director = first["bureau"], first["subdistrict"], first["director"]
    pages = [
        (bureau, "dashboard (district)", "/dashboard/"),
        (bureau, "dashboard (sub-district)", f"/dashboard/subdistrict/{subs[3]}/"),
        (bureau, "registry list", "/kindergartens/?page=4"),
        (official, "registry list (sub)", "/kindergartens/"),
        (bureau, "kindergarten detail", f"/kindergartens/{bureau.kindergartens[40]}/"),
        (director, "kindergarten detail (dir)", f"/kindergartens/{director.own_kg}/"),
        (bureau, "sub-district detail", f"/kindergartens/subdistricts/{subs[3]}/"),
        (bureau, "api list", "/api/kindergartens/?page=3"),
        (bureau, "api indicators", "/api/indicators/"),
        (director, "api classes", "/api/classes/"),
        (bureau, "warnings list", "/dashboard/warnings/"),
        (official, "warnings list (sub)", "/dashboard/warnings/"),
        (director, "home (director)", "/"),
    ]
    if args.only:
        wanted = set(args.only.split(","))
        pages = [p for p in pages if p[1] in wanted]
    clients = {}
    for user, _kind, _url in pages:
        if user.username not in clients:
            clients[user.username] = Client()
            clients[user.username].force_login(User.objects.get(username=user.username))
    print(f"load average {os.getloadavg()}")
    for user, kind, url in pages:
        client = clients[user.username]
        response = client.get(url)
        assert response.status_code == 200, (kind, url, response.status_code)
        if args.profile and kind != args.profile:
            continue
        walls, cpus = [], []
        profiler = cProfile.Profile() if args.profile else None
        queries = []  # (Django's query log is reset at each request's start)

        def timed(execute, sql, *rest, queries=queries):
            started = time.perf_counter()
            try:
                return execute(sql, *rest)
            finally:
                queries.append(f"{(time.perf_counter() - started) * 1000:6.1f} ms  {sql}")

        with connection.execute_wrapper(timed):
            client.get(url)
        for _ in range(args.runs):
            wall, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            client.get(url)
            if profiler:
                profiler.disable()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        print(
            f"{kind:27} wall {statistics.median(walls) * 1000:6.1f} ms  cpu {statistics.median(cpus) * 1000:6.1f} ms"
            f"  queries {len(queries):3}  {len(response.content) // 1024} KiB  {url}"
        )
        if args.sql:
            print("\n".join(f"    {q[:160]}" for q in queries))
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
