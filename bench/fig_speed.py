"""Times the figures' speed items of issue 13 item 5 (the indicators API, the statistics export), old and new code
in the same run:

- `/api/indicators/` with no parameters (what a client asks first): before, every snapshot of
  every date with a full `COUNT(*)`; now the latest date, pages without a count. The snapshots
  are per scope, not per kindergarten: a year of nightly runs (`--dates`) over the district, every
  sub-district and ownership type, every registered indicator — the same at 2,000 or 20,000
  kindergartens, whose count does not enter this endpoint's cost.
- The statistics export (`/enrollment/statistics/export.xlsx`, no parameters): before, every
  school year built in memory (`xlsx_response`); now the latest school year, streamed from a
  temporary file (`xlsx_stream_response`). `--kindergartens` × `--years` school years of 8 classes
  and 5 ages (2–6) each.

Usage (a throwaway database; migrated, and everything written is rolled back):

    DATABASE_URL=sqlite:////tmp/fig-speed-bench.sqlite3 SECRET_KEY=bench \\
        .venv/bin/python bench/fig_speed.py [--dates 365] [--kindergartens 2000] [--years 3] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chaoyang_preschool.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from rest_framework.pagination import PageNumberPagination  # noqa: E402
from rest_framework.test import APIRequestFactory, force_authenticate  # noqa: E402

from accounts.choices import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from common.spreadsheets import xlsx_response  # noqa: E402
from enrollment import spreadsheets  # noqa: E402
from enrollment.models import EnrollmentByAge, SchoolClass, SchoolYear, grade_order  # noqa: E402
from enrollment.views.statistics import StatisticsExportView  # noqa: E402
from kindergartens.models import Kindergarten, Subdistrict  # noqa: E402
from reports import registry  # noqa: E402
from reports.api.views import IndicatorSnapshotViewSet  # noqa: E402
from reports.choices import ScopeType  # noqa: E402
from reports.models import IndicatorSnapshot  # noqa: E402

OWNERSHIPS = ("education", "other_public", "private")


class Rollback(Exception):
    """Raised at the end so that nothing the benchmark wrote stays in the database."""


class OldIndicatorViewSet(IndicatorSnapshotViewSet):
    """The endpoint as it was: every date when none is given, page numbers with a full count."""

    pagination_class = PageNumberPagination

    def filter_queryset(self, queryset):
        return super(IndicatorSnapshotViewSet, self).filter_queryset(queryset)


def old_export(request):
    """The export as it was: every school year, the workbook built in memory."""
    user = request.user
    classes = (
        SchoolClass.objects.visible_to(user)
        .order_by("kindergarten__code", "school_year__start_year", grade_order(), "name")
        .values("kindergarten__code", "school_year__start_year", "class_type", "name", "approved_size", "enrolled")
    )
    ages = (
        EnrollmentByAge.objects.visible_to(user)
        .order_by("kindergarten__code", "school_year__start_year", "age")
        .values_list("kindergarten__code", "school_year__start_year", "age", "children")
    )
    sheets = spreadsheets.export_sheets(classes=classes, children_by_age=ages)
    return xlsx_response("old.xlsx", sheets)


def seed_snapshots(dates: int) -> int:
    subdistricts = list(Subdistrict.objects.values_list("pk", "code"))
    codes = [code for code, _label in registry.CHOICES]
    scopes = [(ScopeType.DISTRICT, "district", None)]
    scopes += [(ScopeType.SUBDISTRICT, code, pk) for pk, code in subdistricts]
    scopes += [(ScopeType.OWNERSHIP, key, None) for key in OWNERSHIPS]
    first = datetime.date(2025, 1, 1)
    batch = []
    total = 0
    for d in range(dates):
        day = first + datetime.timedelta(days=d)
        for scope_type, key, subdistrict in scopes:
            for code in codes:
                batch.append(
                    IndicatorSnapshot(
                        date=day,
                        scope_type=scope_type,
                        scope_key=key,
                        subdistrict_id=subdistrict,
                        indicator=code,
                        numerator=Decimal(90),
                        denominator=Decimal(100),
                        value=Decimal("0.9"),
                    )
                )
        if len(batch) >= 20000:
            IndicatorSnapshot.objects.bulk_create(batch, batch_size=2000)
            total += len(batch)
            batch = []
    IndicatorSnapshot.objects.bulk_create(batch, batch_size=2000)
    return total + len(batch)


def seed_statistics(kindergartens: int, years: int) -> int:
    subdistricts = list(Subdistrict.objects.values_list("pk", flat=True))
    Kindergarten.objects.bulk_create(
        Kindergarten(
            code=f"BENCH-{i:06d}",
            name=f"基准测试第{i}幼儿园",
            subdistrict_id=subdistricts[i % len(subdistricts)],
            approved_capacity=240,
        )
        for i in range(kindergartens)
    )
    kgs = list(Kindergarten.objects.filter(code__startswith="BENCH-").values_list("pk", flat=True))
    rows = 0
    for start in range(2026 - years + 1, 2027):
        year = SchoolYear.objects.get_or_create(start_year=start)[0]
        classes = [
            SchoolClass(
                kindergarten_id=kg, school_year=year, class_type=kind, name=f"{kind}{n}", approved_size=25, enrolled=24
            )
            for kg in kgs
            for n, kind in enumerate(("small", "small", "middle", "middle", "senior", "senior", "senior", "small"))
        ]
        SchoolClass.objects.bulk_create(classes, batch_size=2000)
        ages = [
            EnrollmentByAge(kindergarten_id=kg, school_year=year, age=age, children=20)
            for kg in kgs
            for age in range(2, 7)
        ]
        EnrollmentByAge.objects.bulk_create(ages, batch_size=2000)
        rows += len(classes) + len(ages)
    return rows


def median_ms(call, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = call()
        if getattr(response, "streaming", False):
            for _chunk in response.streaming_content:
                pass
            # Not response.close(): it sends request_finished, which closes the database connection
            # (and with it the benchmark's transaction). The temporary file goes with the response.
        else:
            response.render() if hasattr(response, "render") else None
        assert response.status_code == 200, response.status_code
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dates", type=int, default=365)
    parser.add_argument("--kindergartens", type=int, default=2000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']}); load: {os.getloadavg()}")
    try:
        with transaction.atomic():
            user = User.objects.create(username="bench-bureau", role=Role.BUREAU_OFFICIAL)
            started = time.perf_counter()
            snapshots = seed_snapshots(args.dates)
            rows = seed_statistics(args.kindergartens, args.years)
            print(f"seeded {snapshots} snapshots, {rows} statistics rows in {time.perf_counter() - started:.0f} s")
            api = APIRequestFactory()

            def api_call(viewset):
                request = api.get("/api/indicators/")
                force_authenticate(request, user=user)
                return viewset.as_view({"get": "list"})(request)

            factory = RequestFactory()

            def export_call(view):
                request = factory.get("/enrollment/statistics/export.xlsx")
                request.user = user
                return view(request)

            new_export = StatisticsExportView.as_view()
            for label, call in (
                ("/api/indicators/ before (every date, COUNT(*))", lambda: api_call(OldIndicatorViewSet)),
                ("/api/indicators/ after (latest date, no count)", lambda: api_call(IndicatorSnapshotViewSet)),
                (f"statistics export before ({args.years} years, in memory)", lambda: export_call(old_export)),
                ("statistics export after (latest year, streamed)", lambda: export_call(new_export)),
            ):
                print(f"{label:52s} median {median_ms(call, args.runs):8.1f} ms ({args.runs} runs)", flush=True)
            print(f"load: {os.getloadavg()}")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
