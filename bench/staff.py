"""Times the staff workbook at district scale: 12,000 staff (goal: bulk, no per-row queries).

Usage (point DATABASE_URL at a throwaway database; the script migrates it):

    DATABASE_URL=sqlite:////tmp/staff-bench.sqlite3 SECRET_KEY=bench \
        .venv/bin/python bench/staff.py [--staff 12000] [--kindergartens 400]

It creates kindergartens with this year's classes, writes a workbook of `--staff` rows (one post
each, most with certificates), then measures: the first import (every row new), a re-import of
the same file (nothing changes), the staff list page and the staffing overview as a bureau
official (time and queries), and the export of every current post. Each step runs once after
the data exists; the list pages are timed three times (median). Queries are counted with
Django's CaptureQueriesContext.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chaoyang_preschool.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # the pages are fetched with Django's test client

import django

django.setup()

import openpyxl  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.choices import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from enrollment.models import SchoolClass, SchoolYear  # noqa: E402
from kindergartens.choices import InclusiveStatus, LicenceStatus, SponsorType  # noqa: E402
from kindergartens.models import Kindergarten, Subdistrict  # noqa: E402
from staff import identity  # noqa: E402
from staff.models import StaffMember  # noqa: E402
from staff.services import import_staff  # noqa: E402
from staff.spreadsheets import SHEET_TITLE, staff_columns  # noqa: E402

ROLES = (
    "园长",
    "专任教师",
    "专任教师",
    "专任教师",
    "专任教师",
    "保育员",
    "保育员",
    "卫生保健人员",
    "炊事人员",
    "安保人员",
)


def number_for(index: int) -> str:
    first17 = f"110105{1970 + index % 30}{1 + index % 12:02d}{1 + index % 28:02d}{index % 1000:03d}"
    return first17 + identity.check_digit(first17)


def kindergartens(count: int) -> list[Kindergarten]:
    existing = list(Kindergarten.objects.filter(code__startswith="BENCH-").order_by("code"))
    if len(existing) >= count:
        return existing[:count]
    subdistricts = list(Subdistrict.objects.order_by("code"))
    year, _ = SchoolYear.objects.get_or_create(start_year=SchoolYear.start_year_for(timezone.localdate()))
    made = Kindergarten.objects.bulk_create(
        Kindergarten(
            code=f"BENCH-{n:04d}",
            name=f"基准测试第{n}幼儿园",
            subdistrict=subdistricts[n % len(subdistricts)],
            address="北京市朝阳区",
            sponsor_type=SponsorType.EDUCATION_BUREAU,
            inclusive_status=InclusiveStatus.PUBLIC,
            licence_status=LicenceStatus.LICENSED,
            approved_capacity=300,
        )
        for n in range(len(existing), count)
    )
    SchoolClass.objects.bulk_create(
        SchoolClass(
            kindergarten=k, school_year=year, class_type="small", name=f"小{c}班", approved_size=25, enrolled=24
        )
        for k in made
        for c in range(1, 11)
    )
    return existing + made


def workbook(codes: list[str], rows: int) -> SimpleUploadedFile:
    headers = [c.header for c in staff_columns() if not c.read_only]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append(headers)
    for index in range(rows):
        role = ROLES[index % len(ROLES)]
        cells = {
            "幼儿园编码": codes[index % len(codes)],
            "姓名": f"教工{index}",
            "身份证号码": number_for(index),
            "性别": "女",
            "最高学历": "本科",
            "岗位": role,
            "编制情况": "合同制",
            "专职": "是",
            "入职日期": "2020-09-01",
        }
        if role in ("园长", "专任教师") and index % 50:
            cells |= {"教师资格证编号": f"T{index:08d}", "教师资格证发证日期": "2015-07-01"}
        if role == "园长":
            cells |= {
                "园长任职资格（培训合格）证编号": f"P{index:08d}",
                "园长任职资格（培训合格）证发证日期": "2019-07-01",
            }
        if index % 3 == 0:
            cells |= {"健康证编号": f"H{index:08d}", "健康证发证日期": "2026-01-01", "健康证有效期至": "2027-01-01"}
        sheet.append([cells.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("staff.xlsx", buffer.getvalue())


def timed(label: str, action, repeat: int = 1) -> None:
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
        queries = len(captured)
    print(f"{label:<40} {statistics.median(times) * 1000:9.0f} ms   {queries:4d} queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=12_000)
    parser.add_argument("--kindergartens", type=int, default=400)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"load average before: {os.getloadavg()}")
    codes = [k.code for k in kindergartens(args.kindergartens)]
    official, _ = User.objects.get_or_create(username="bench-bureau", defaults={"role": Role.BUREAU_OFFICIAL})
    file = workbook(codes, args.staff)
    print(f"workbook: {args.staff} rows, {len(file)} bytes, {len(codes)} kindergartens")

    def run_import():
        file.seek(0)
        result = import_staff(file=file, user=official)
        print(f"    created {result.created}, updated {result.updated}, unchanged {result.unchanged}")

    StaffMember.objects.filter(kindergarten__code__startswith="BENCH-").delete()
    timed("import (every row new)", run_import)
    timed("re-import (nothing changes)", run_import)
    client = Client()
    client.force_login(official)
    timed("staff list page (50 per page)", lambda: client.get(reverse("staff:member_list")), repeat=3)
    timed(
        "staff list, filtered: missing certificates",
        lambda: client.get(reverse("staff:member_list") + "?certificates=missing"),
        repeat=3,
    )
    timed("staffing overview page (25 per page)", lambda: client.get(reverse("staff:index")), repeat=3)
    timed(
        "overview, filtered: short of staff", lambda: client.get(reverse("staff:index") + "?staffing=false"), repeat=3
    )
    timed("export of every current post", lambda: client.get(reverse("staff:export")))
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
