"""Times the district dashboard with the dashboard cache off, in the checkout it is run from.

    cd <checkout> && SECRET_KEY=x DATABASE_URL=postgres://…/portal_bench_… \
        [NO_PANELS=1] .venv/bin/python bench/dashboard_table.py LABEL RUNS [URL …]

Run it from the old and the new checkout in turn against a database `bench/nightly.py` built
(it uses that script's user bench-bureau). Prints one JSON line: per URL the median wall time, the
Python CPU time and the SQL time, the query count and the page size, with the load average.
NO_PANELS=1 unregisters the apps' panels (staff, safety, quality…), to time the figures and the
sub-district table apart from them.
"""

from __future__ import annotations

import json
import os
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
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.choices import Role  # noqa: E402
from accounts.models import User  # noqa: E402


def main() -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    label, runs, urls = sys.argv[1], int(sys.argv[2]), sys.argv[3:] or ["/dashboard/"]
    if os.environ.get("NO_PANELS"):
        from reports import registry

        registry._panels.clear()
    user, _created = User.objects.get_or_create(username="bench-bureau", defaults={"role": Role.BUREAU_OFFICIAL})
    client = Client()
    client.force_login(user)
    load_before = os.getloadavg()
    out = {}
    for url in urls:
        response = client.get(url)  # warm-up
        assert response.status_code == 200, (url, response.status_code)
        times, cpu, sql = [], [], []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started_cpu, started = time.process_time(), time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries))
        out[url] = {
            "median_ms": round(statistics.median(times) * 1000, 1),
            "times": [round(t * 1000) for t in times],
            "cpu_ms": round(statistics.median(cpu) * 1000, 1),
            "sql_ms": round(statistics.median(sql) * 1000, 1),
            "queries": len(queries),
            "bytes": len(response.content),
        }
    print(json.dumps({"label": label, "load_before": load_before, "load_after": os.getloadavg(), "pages": out}))


if __name__ == "__main__":
    main()
