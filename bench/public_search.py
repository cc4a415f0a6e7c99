"""Times the parents' search (/public/) at 2,000 kindergartens (goal: under 100 ms server time).

Usage (a throwaway database; the script migrates it and rolls back everything it writes):

    DATABASE_URL=sqlite:////tmp/public-bench.sqlite3 SECRET_KEY=bench \
        .venv/bin/python bench/public_search.py [--kindergartens 2000] [--runs 9]

It creates the kindergartens on coordinates spread over the district, a fee filing for each
(care-and-education fee and meals), and a published evaluation for half of them, then times the
view through Django's test client: each run drops the page's cache entry first (the figure is the
cost of computing the answer, not of serving it from the cache; the address index stays warm, as it
does in service for 5 minutes, and one line times it rebuilt on every run), and the median is printed, for the
search page and the JSON endpoint, with and without a typed address (distance order). The
cached answer is timed too.
"""

from __future__ import annotations

import argparse
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
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from governance.choices import FeeItemKind  # noqa: E402
from governance.models import FeeFiling, FeeItem  # noqa: E402
from inspections.choices import EvaluationStatus, ResultGrade  # noqa: E402
from inspections.models import EvaluationCycle, EvaluationTeam, ExternalEvaluation, FrameworkVersion  # noqa: E402
from kindergartens.choices import InclusiveStatus, SponsorType  # noqa: E402
from kindergartens.models import Kindergarten, Subdistrict  # noqa: E402
from public.limits import cache_key  # noqa: E402

KINDS = (
    (SponsorType.EDUCATION_BUREAU, InclusiveStatus.PUBLIC),
    (SponsorType.PRIVATE_NONPROFIT, InclusiveStatus.INCLUSIVE_PRIVATE),
    (SponsorType.PRIVATE_FORPROFIT, InclusiveStatus.NON_INCLUSIVE_PRIVATE),
)
ROADS = ("望京西路", "东三环中路", "朝阳北路", "建国路", "广渠路", "酒仙桥路", "北苑路", "姚家园路")


class Rollback(Exception):
    """Raised at the end so that nothing the benchmark wrote stays in the database."""


def seed(n: int) -> None:
    subdistricts = list(Subdistrict.objects.order_by("code").values_list("pk", flat=True))
    Kindergarten.objects.bulk_create(
        Kindergarten(
            code=f"BENCH-{i:06d}",
            name=f"基准测试第{i}幼儿园",
            subdistrict_id=subdistricts[i % len(subdistricts)],
            address=f"北京市朝阳区{ROADS[i % len(ROADS)]}{i}号",
            latitude=Decimal("39.85") + Decimal(i % 50) * Decimal("0.004"),
            longitude=Decimal("116.38") + Decimal(i // 50) * Decimal("0.005"),
            sponsor_type=KINDS[i % 3][0],
            inclusive_status=KINDS[i % 3][1],
            recognition_date=timezone.localdate().replace(year=2022) if i % 3 == 1 else None,
            approved_capacity=180 + 30 * (i % 8),
            has_toddler_classes=i % 2 == 0,
        )
        for i in range(n)
    )
    kgs = list(Kindergarten.objects.filter(code__startswith="BENCH-").order_by("code"))
    filings = FeeFiling.objects.bulk_create(FeeFiling(kindergarten=kg, school_year=2025, grade="first") for kg in kgs)
    FeeItem.objects.bulk_create(
        item
        for i, filing in enumerate(filings)
        for item in (
            FeeItem(filing=filing, item=FeeItemKind.CARE_EDUCATION, monthly_amount=Decimal(700 + 100 * (i % 30))),
            FeeItem(filing=filing, item=FeeItemKind.MEALS, monthly_amount=Decimal(400)),
        )
    )
    version = FrameworkVersion.objects.first()
    cycle = EvaluationCycle.objects.create(
        name="基准测试评估周期", start_year=2025, end_year=2027, framework_version=version
    )
    team = EvaluationTeam.objects.create(cycle=cycle, name="基准测试评估组")
    ExternalEvaluation.objects.bulk_create(
        ExternalEvaluation(
            kindergarten=kg,
            cycle=cycle,
            framework_version=version,
            team=team,
            status=EvaluationStatus.PUBLISHED,
            grade=ResultGrade.values[i % 4],
            published_at=timezone.now(),
        )
        for i, kg in enumerate(kgs[::2])
    )


def median_ms(client: Client, url: str, runs: int, *, cached: bool = False, cold: bool = False) -> float:
    """Median time of `runs` requests. Not `cached`: the page's own cache entry is dropped before
    each run; `cold` drops the whole cache (also the address index, rebuilt about every 5 minutes)."""
    times = []
    request = RequestFactory().get(url)
    request.LANGUAGE_CODE = settings.LANGUAGE_CODE  # as LocaleMiddleware sets it
    page_key = cache_key(request)
    for _ in range(runs):
        if cold:
            cache.clear()
        elif not cached:
            cache.delete(page_key)
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kindergartens", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    setup_test_environment()
    settings.PUBLIC_RATE_LIMIT = 0
    settings.ALLOWED_HOSTS = ["testserver"]
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']}); load: {os.getloadavg()}")
    urls = {
        "search page, no filter": "/public/",
        "search page, address + inclusive + toddler class": "/public/?address=望京西路10号&type=inclusive&toddler=1",
        "search page, address, page 5": "/public/?address=朝阳北路&page=5",
        "JSON, address + fee ≤ 2000": "/public/api/kindergartens/?address=建国路&fee_max=2000",
        "kindergarten page": "/public/kindergartens/BENCH-000001/",
    }
    try:
        with transaction.atomic():
            seed(args.kindergartens)
            client = Client()
            for label, url in urls.items():
                print(f"{label:52s} median {median_ms(client, url, args.runs):7.1f} ms ({args.runs} runs)")
            url = urls["search page, address + inclusive + toddler class"]
            cold = median_ms(client, url, args.runs, cold=True)
            print(f"{'the same, address index rebuilt too (cold cache)':52s} median {cold:7.1f} ms")
            print(
                f"{'the same, served from the cache':52s} median {median_ms(client, url, args.runs, cached=True):7.1f} ms"
            )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
