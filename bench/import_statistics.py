"""Times the import of a 20,000-row annual statistics workbook (goal: under 5 s).

Usage (point DATABASE_URL at a throwaway database; the script migrates it and rolls back
everything it writes, so it can be rerun):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench DEBUG=1 \
        .venv/bin/python bench/import_statistics.py [--rows 20000]

It creates kindergartens (12 classes and one children-by-age row each) and population rows for
every sub-district until the workbook holds `--rows` data rows, writes the workbook with
openpyxl, then times `enrollment.services.statistics_import` three times: the first import (every
row new), a re-import of the same file (nothing changes), and a file with the same rows whose
every head count differs (every row updated).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chaoyang_preschool.settings")

import django

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from enrollment.services import statistics_import  # noqa: E402
from kindergartens.choices import InclusiveStatus, SponsorType  # noqa: E402
from kindergartens.models import Kindergarten, Subdistrict  # noqa: E402

CLASSES_PER_KINDERGARTEN = 12
SCHOOL_YEAR = "2026-2027"
CLASS_TYPES = (("小班", 25, 3), ("中班", 30, 4), ("大班", 35, 5))
POPULATION_YEARS = range(2016, 2027)


class Rollback(Exception):
    """Raised at the end so that nothing the benchmark wrote stays in the database."""


def build_workbook(path: Path, codes: list[str], subdistricts: list[str], rows: int, shift: int = 0) -> dict[str, int]:
    """The workbook; `shift` changes every head count by that much (the same rows, other numbers)."""
    population_rows = len(subdistricts) * len(POPULATION_YEARS)
    per_kindergarten = CLASSES_PER_KINDERGARTEN + 1
    extra_classes = rows - population_rows - len(codes) * per_kindergarten  # topped up on the first ones
    # A normal (not write-only) workbook: like Excel, it records each sheet's size, which
    # read-only openpyxl relies on to avoid a second pass over the sheet.
    book = openpyxl.Workbook()
    book.remove(book.active)
    classes = book.create_sheet("班级")
    ages = book.create_sheet("分年龄在园幼儿")
    population = book.create_sheet("常住儿童人口")
    classes.append(["幼儿园编码", "学年", "班级类型", "班级名称", "核定班额", "在班幼儿数"])
    ages.append(["幼儿园编码", "学年", "2岁", "3岁", "4岁", "5岁", "6岁"])
    population.append(["街道/地区", "年份", "0岁", "1岁", "2岁", "3岁", "4岁", "5岁", "6岁", "口径"])
    counts = {"班级": 0, "分年龄在园幼儿": 0, "常住儿童人口": 0}
    for index, code in enumerate(codes):
        by_age = {2: 0, 3: 0, 4: 0, 5: 0, 6: 0}
        count = CLASSES_PER_KINDERGARTEN + (1 if index < extra_classes else 0)
        for number in range(count):
            label, limit, age = CLASS_TYPES[number % 3]
            enrolled = limit - (number + index) % 4 - shift
            classes.append([code, SCHOOL_YEAR, label, f"{label[0]}{number + 1}班", limit, enrolled])
            by_age[age] += enrolled
            counts["班级"] += 1
        ages.append([code, SCHOOL_YEAR, *by_age.values()])
        counts["分年龄在园幼儿"] += 1
    for name in subdistricts:
        for year in POPULATION_YEARS:
            population.append([name, year, *(1000 + 10 * age + year % 7 + shift for age in range(7)), "常住人口"])
            counts["常住儿童人口"] += 1
    book.save(path)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    database = f"{connection.vendor} ({settings.DATABASES['default']['NAME']})"
    subdistricts = list(Subdistrict.objects.order_by("code").values_list("name", flat=True))
    kindergartens = (args.rows - len(subdistricts) * len(POPULATION_YEARS)) // (CLASSES_PER_KINDERGARTEN + 1)
    try:
        with transaction.atomic():
            subdistrict_ids = list(Subdistrict.objects.order_by("code").values_list("pk", flat=True))
            Kindergarten.objects.bulk_create(
                Kindergarten(
                    code=f"BENCH-{n:06d}",
                    name=f"基准测试第{n}幼儿园",
                    subdistrict_id=subdistrict_ids[n % len(subdistrict_ids)],
                    sponsor_type=SponsorType.EDUCATION_BUREAU,
                    inclusive_status=InclusiveStatus.PUBLIC,
                    approved_capacity=360,
                )
                for n in range(kindergartens)
            )
            codes = [f"BENCH-{n:06d}" for n in range(kindergartens)]
            with tempfile.TemporaryDirectory() as directory:
                path = Path(directory) / "statistics.xlsx"
                started = time.perf_counter()
                counts = build_workbook(path, codes, subdistricts, args.rows)
                built = time.perf_counter() - started
                changed = Path(directory) / "statistics-changed.xlsx"
                build_workbook(changed, codes, subdistricts, args.rows, shift=1)
                timings = []
                for workbook in (path, path, changed):
                    with workbook.open("rb") as handle:
                        started, cpu = time.perf_counter(), time.process_time()
                        result = statistics_import(file=handle, user=None)
                        timings.append((time.perf_counter() - started, time.process_time() - cpu, result))
            raise Rollback
    except Rollback:
        pass

    total = sum(counts.values())
    print(f"database: {database}")
    print(
        f"workbook: {total:,} data rows ({', '.join(f'{k} {v:,}' for k, v in counts.items())}), built in {built:.2f} s"
    )
    labels = ("first import", "re-import (no change)", "import with every count changed")
    for label, (seconds, cpu, result) in zip(labels, timings, strict=True):
        changes = {k: result.created[k] + result.updated[k] + result.deleted[k] for k in result.created}
        print(
            f"{label}: {seconds:.2f} s wall ({cpu:.2f} s CPU in this process), "
            f"{total / seconds:,.0f} rows/s, rows written {changes}"
        )
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print("goal: under 5 s for 20,000 rows —", "met" if max(t for t, _c, _r in timings) < 5 else "MISSED")


if __name__ == "__main__":
    main()
