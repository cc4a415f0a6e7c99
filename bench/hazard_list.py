"""Times the hazard list page and its API with many hazards (PostgreSQL only).

Usage (the database named in DATABASE_URL is DROPPED and recreated; its name must contain "bench"):

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_safety_out \
        .venv/bin/python bench/hazard_list.py --kindergartens 2000 --hazards 100000 [--runs 10]

Builds the synthetic district of bench/nightly.py (its ``build_district``, with ``--hazards``
hazards spread over the kindergartens by ``bench/safety_data.py``), then requests, through
Django's test client, ``/safety/hazards/`` and ``/api/hazards/`` — the first page, a deep page,
the overdue filter, a search and one sub-district — as a bureau official, and the first page as
the largest sub-district's official: one warm-up, then the median of ``--runs``, with the number
of queries of the last request. ``--reuse`` times a database built before.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import nightly  # sets Django up; its recreate_database() refuses a name without "bench"
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts.choices import Role
from accounts.models import User


def client_as(username: str, **fields) -> Client:
    user, _created = User.objects.get_or_create(username=username, defaults=fields)
    client = Client()
    client.force_login(user)
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kindergartens", type=int, default=2000)
    parser.add_argument("--hazards", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    day = nightly.DEFAULT_DAY
    out: dict[str, Any] = {"kindergartens": args.kindergartens, "hazards": args.hazards}
    if not args.reuse:
        nightly.recreate_database()
        call_command("migrate", verbosity=0)
        subdistricts = max(
            nightly.SEEDED_SUBDISTRICTS, round(args.kindergartens / nightly.KINDERGARTENS_PER_SUBDISTRICT)
        )
        started = time.perf_counter()
        out["load"] = nightly.build_district(args.kindergartens, subdistricts, day, args.hazards)
        print(f"built in {time.perf_counter() - started:.1f} s: {out['load']['built']}")
    hazards = nightly.scalar("SELECT count(*) FROM safety_hazard")
    largest = nightly.scalar(
        """SELECT k.subdistrict_id FROM safety_hazard h JOIN kindergartens_kindergarten k ON k.id = h.kindergarten_id
           GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"""
    )
    in_largest = nightly.scalar(
        f"""SELECT count(*) FROM safety_hazard h JOIN kindergartens_kindergarten k ON k.id = h.kindergarten_id
            WHERE k.subdistrict_id = {int(largest)}"""
    )
    print(f"{hazards:,} hazards; the largest sub-district ({largest}) has {in_largest:,}")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    bureau = client_as("bench-bureau", role=Role.BUREAU_OFFICIAL)
    official = client_as("bench-official", role=Role.SUBDISTRICT_OFFICIAL, subdistrict_id=largest)
    deep = max(1, hazards // 25 // 2)
    pages = [
        ("bureau", bureau, "/safety/hazards/"),
        ("bureau", bureau, f"/safety/hazards/?page={deep}"),
        ("bureau", bureau, "/safety/hazards/?overdue=true"),
        ("bureau", bureau, "/safety/hazards/?q=%E5%9F%BA%E5%87%86%E9%9A%90%E6%82%A3+4242"),
        ("bureau", bureau, f"/safety/hazards/?subdistrict={largest}"),
        ("official", official, "/safety/hazards/"),
        ("bureau", bureau, "/api/hazards/"),
        ("bureau", bureau, f"/api/hazards/?page={max(1, hazards // 50 // 2)}"),
        ("bureau", bureau, "/api/hazards/?overdue=true"),
        ("official", official, "/api/hazards/"),
    ]
    out["pages"] = []
    for who, client, url in pages:
        timing = nightly.time_page(client, url, args.runs)
        out["pages"].append({"who": who, **timing})
        print(
            f"{who:8} {url}: median {timing['median'] * 1000:.0f} ms (warm-up {timing['warm_up'] * 1000:.0f} ms), "
            f"{timing['queries']} queries, {timing['bytes']:,} bytes"
        )
    out["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["load_average"] = os.getloadavg()
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in out['load_average'])} on {os.cpu_count()} CPUs")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, default=str))


if __name__ == "__main__":
    main()
