"""Times the district dashboard page and, where the checkout has them, each panel's fragment.

    cd <checkout> && SECRET_KEY=x DATABASE_URL=postgres://…/portal_bench_… \
        .venv/bin/python bench/dashboard_lazy_panels.py LABEL RUNS

Against a database `bench/nightly.py` built (its user bench-bureau, a bureau official), with the
dashboard cache off. Per run: one GET of `/dashboard/`, then one GET of each registered panel's
`/dashboard/panels/<name>/` (the checkout's `reports:dashboard_panel`; none before it existed).
One warm-up round first. Prints one JSON line: the median wall time of each URL in ms, and the
load average at the start and the end.
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
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from accounts.choices import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from reports import registry  # noqa: E402


def main() -> None:
    label, runs = sys.argv[1], int(sys.argv[2])
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DASHBOARD_CACHE_SECONDS = 0
    user, _created = User.objects.get_or_create(username="bench-bureau", defaults={"role": Role.BUREAU_OFFICIAL})
    client = Client()
    client.force_login(user)
    urls = {"page": "/dashboard/"}
    for panel in registry.panels():
        try:
            urls[panel.name] = reverse("reports:dashboard_panel", args=[panel.name])
        except NoReverseMatch:  # the old code: the panels are built inside the page
            break
    load_start = os.getloadavg()
    samples: dict[str, list[float]] = {name: [] for name in urls}
    for run in range(runs + 1):
        for name, url in urls.items():
            started = time.perf_counter()
            response = client.get(url)
            wall = time.perf_counter() - started
            assert response.status_code == 200, (url, response.status_code)
            if run:  # the first round warms up
                samples[name].append(wall * 1000)
    print(
        json.dumps(
            {
                "label": label,
                "runs": runs,
                "ms": {name: round(statistics.median(values), 1) for name, values in samples.items()},
                "load_start": [round(x, 2) for x in load_start],
                "load_end": [round(x, 2) for x in os.getloadavg()],
            }
        )
    )


if __name__ == "__main__":
    main()
