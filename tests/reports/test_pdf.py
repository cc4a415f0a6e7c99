"""The PDF report: real WeasyPrint output read back with poppler (pdftotext, pdffonts), the
nightly file kept per date, and the scoped download."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone

from common import charts
from common.report_rows import BEST_ROWS, SHOWN_ROWS
from kindergartens.choices import SubdistrictKind
from kindergartens.models import Subdistrict
from reports import services, tasks
from reports.choices import RunStatus, WarningKind
from reports.models import ComputationRun, EarlyWarning, SeatForecast
from reports.pdf import (
    kept_report,
    render_report_file,
    render_report_html,
    render_report_pdf,
    report_context,
    report_path,
)
from tests.conftest import client_for

from .conftest import DAY
from .test_dashboard import EARLIER, TODAY, figures, headline  # noqa: F401 — the fixture is used by name

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts")), reason="poppler-utils is not installed"
)
TITLE = "朝阳区学前教育“十四五”行动计划"


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(content: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


@pytest.fixture
def report_data(figures):  # noqa: F811 — the imported fixture
    wangjing, shuangjing = figures
    EarlyWarning.objects.create(
        date=TODAY, kind=WarningKind.SEAT_SHORTAGE, subdistrict=shuangjing, year=2027, demand=1200, supply=1000,
        shortfall=200, message="双井2027年学位缺口200个",
    )  # fmt: skip
    EarlyWarning.objects.create(
        date=TODAY, kind=WarningKind.SEAT_SHORTAGE, subdistrict=wangjing, year=2028, demand=1100, supply=1000,
        shortfall=100, message="望京2028年学位缺口100个",
    )  # fmt: skip
    for sub, demand in ((wangjing, 1100), (shuangjing, 1200)):
        SeatForecast.objects.create(
            date=TODAY, subdistrict=sub, year=2027, cohort=demand, demand=demand, seats=1000, shortfall=demand - 1000
        )
    return wangjing, shuangjing


def test_it_renders_the_district_report_in_chinese_with_an_embedded_cjk_font(report_data, tmp_path):
    content = render_report_pdf(date=TODAY)
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    assert TITLE in text and "指标监测报告" in text
    assert "2025年11月28日" in text and "全区" in text
    for expected in (
        "学前三年毛入园率",
        "92.5%",
        "1,850",
        "国家标准",
        "双井",
        "望京",
        "学位需求预测",
        "指标定义与统计口径",
    ):
        assert expected in text, expected
    assert "双井2027年学位缺口200个" in text
    fonts = pdf_fonts(content, tmp_path)
    cjk = [row for row in fonts if "CJK" in row[0]]
    assert cjk, fonts
    # pdffonts columns: name, type…, encoding, emb, sub, uni, object, ID: every CJK font embedded.
    assert all(row[-5] == "yes" for row in cjk), cjk
    assert all(row[-5] == "yes" for row in fonts), "every font must be embedded"


def test_it_renders_one_subdistricts_report_without_the_others(report_data, tmp_path):
    wangjing, _ = report_data
    text = pdf_text(render_report_pdf(date=TODAY, subdistrict=wangjing), tmp_path)
    assert TITLE in text and "望京" in text and "110.0%" in text
    assert "双井" not in text and "92.5%" not in text
    assert "望京2028年学位缺口100个" in text


def test_it_renders_a_report_for_a_date_without_snapshots(db, tmp_path):
    text = pdf_text(render_report_pdf(date=TODAY), tmp_path)
    assert TITLE in text and "暂无数据" in text


def test_it_keeps_each_nights_file(report_data, settings, tmp_path):
    settings.REPORTS_ROOT = tmp_path / "reports"
    first = render_report_file(date=TODAY)
    second = render_report_file(date=EARLIER)
    assert first == tmp_path / "reports" / "2025-11-28" / "district.pdf"
    assert second == tmp_path / "reports" / "2025-10-15" / "district.pdf"
    assert first.read_bytes().startswith(b"%PDF") and second.read_bytes().startswith(b"%PDF")
    assert not list((tmp_path / "reports").rglob("*.part"))


def test_it_downloads_the_kept_nightly_file_when_there_is_one(client, bureau_official, report_data, settings, tmp_path):
    settings.REPORTS_ROOT = tmp_path
    succeeded_run(TODAY, minutes_ago=1)  # the run that rendered it (started before the file)
    kept = report_path(date=TODAY)
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"%PDF-1.7 kept by the nightly job")
    response = client_for(client, bureau_official).get(reverse("reports:report_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 kept by the nightly job"
    assert quote("全区") in response["Content-Disposition"]


def test_it_renders_the_download_on_demand_and_keeps_it_in_scope(
    client, bureau_official, wangjing_official, report_data, settings, tmp_path
):
    settings.REPORTS_ROOT = tmp_path  # nothing kept there: rendered now
    _, shuangjing = report_data
    url = reverse("reports:report_pdf")
    response = client_for(client, bureau_official).get(url, {"subdistrict": shuangjing.pk})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert quote("双井") in response["Content-Disposition"]

    client_for(client, wangjing_official)
    assert client.get(url, {"subdistrict": shuangjing.pk}).status_code == 404
    response = client.get(url)  # no sub-district asked for: their own, never the district's
    assert response.status_code == 200 and quote("望京") in response["Content-Disposition"]
    assert "双井" not in pdf_text(response.content, tmp_path)


def test_it_says_so_when_there_is_nothing_to_report(client, bureau_official):
    response = client_for(client, bureau_official).get(reverse("reports:report_pdf"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:dashboard")
    assert "还没有可用于生成报告的指标快照" in response.content.decode()


def test_it_is_dated_in_the_report_folder_name():
    assert report_path(date=datetime.date(2026, 2, 2)).parent.name == "2026-02-02"


# --- many sub-districts: bounded tables and charts -------------------------------------------


def make_subdistricts(count: int) -> None:
    """`count` new sub-districts, 测试00 lowest … the last highest; the gross enrolment rate
    (target ≥ 90 %) is short in the first 25, 65.0 % … 89.0 %."""
    for i in range(count):
        sub = Subdistrict.objects.create(code=f"9990000{i:02d}", name=f"测试{i:02d}", kind=SubdistrictKind.STREET)
        gross = 650 + 10 * i
        inclusive, public = 850 + 2 * i, 600 + 2 * i  # met everywhere, rising: 测试59 is the best
        headline(
            TODAY,
            sub,
            (gross, 1000, str(Decimal(gross) / 1000)),
            (inclusive, 1000, str(Decimal(inclusive) / 1000)),
            (public, 1000, str(Decimal(public) / 1000)),
        )
    headline(TODAY, None, (60000, 60000, "1"), (54000, 60000, "0.9"), (36000, 60000, "0.6"))


@pytest.fixture
def sixty(db):
    """More sub-districts than the report lists one by one."""
    make_subdistricts(60)


def test_with_many_subdistricts_the_table_lists_the_furthest_behind_and_the_best(sixty):
    table = report_context(date=TODAY)["subdistrict_table"]
    assert table.total == 60 and table.omitted == 60 - SHOWN_ROWS - BEST_ROWS
    assert [row.name for row in table.rows] == [f"测试{i:02d}" for i in range(SHOWN_ROWS)]  # lowest first
    assert [row.name for row in table.best] == [f"测试{i:02d}" for i in range(59, 59 - BEST_ROWS, -1)]


def test_with_many_subdistricts_the_pdf_shows_a_distribution_and_says_where_the_rest_is(sixty, tmp_path):
    html = render_report_html(date=TODAY)
    assert html.count("<svg") == 3 * 2  # per target (no trend here): the distribution, the furthest behind
    text = pdf_text(render_report_pdf(date=TODAY), tmp_path)
    assert "60 个街道/地区按指标值区间的分布" in text
    assert "差距最大的 10 个街道/地区" in text
    assert "未达标的街道/地区共 25 个" in text
    flat = "".join(text.split())  # pdftotext wraps long lines
    assert "其余35个见仪表盘“导出指标”（Excel）" in flat
    assert "测试00" in flat and "测试19" in flat and "测试59" in flat  # furthest behind and best
    assert "测试30" not in flat  # in the middle: left to the export
    assert "1,000" not in flat  # values only: each sub-district's denominator is left to the export


def test_with_chaoyangs_subdistricts_every_one_is_listed_and_charted(db):
    make_subdistricts(43)
    context = report_context(date=TODAY)
    assert len(context["subdistrict_table"].rows) == 43 and context["subdistrict_table"].omitted == 0
    gross = context["sections"][0]
    assert gross["histogram"] is None and gross["bar_count"] == 43
    assert gross["short_names"] == [f"测试{i:02d}" for i in range(24, -1, -1)]  # highest first, as the bars


def test_the_histogram_counts_each_value_once_and_colours_the_short_ones():
    svg = str(
        charts.histogram(
            [0.5, 0.85, 0.86, 0.95, 1.0, None],
            short=[True, True, True, False, False, False],
            target=charts.TargetMark("朝阳目标", 0.9),
        )
    )
    assert len(re.findall(f'<rect[^>]*fill="{charts.RED}"', svg)) == 2  # the bands of 0.5 and 0.85/0.86
    assert "朝阳目标 90.0%" in svg
    assert ">2<" in svg  # two sub-districts in one band


# --- the sub-district files the nightly task keeps ---------------------------------------------


def succeeded_run(day, *, minutes_ago: int = 1, status=RunStatus.SUCCEEDED) -> ComputationRun:
    """A run that saved the day's figures and ended `minutes_ago` (before files written now)."""
    run = ComputationRun.objects.create(date=day, status=status, snapshot_count=9)
    ended = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    ComputationRun.objects.filter(pk=run.pk).update(
        started_at=ended - datetime.timedelta(seconds=10), finished_at=ended
    )
    run.refresh_from_db()
    return run


def test_the_nightly_task_keeps_each_subdistricts_file_and_the_download_serves_it(
    client, wangjing_official, report_data, settings, tmp_path, monkeypatch
):
    settings.REPORTS_ROOT = tmp_path
    wangjing, shuangjing = report_data
    rendered = []
    monkeypatch.setattr(
        services, "render_report_file", lambda *, date, subdistrict=None: rendered.append(subdistrict) or keep(date, subdistrict)
    )  # fmt: skip
    run = succeeded_run(TODAY)
    assert tasks.render_subdistrict_reports_task(run.pk)["rendered"] == Subdistrict.objects.count()
    assert wangjing in rendered and shuangjing in rendered

    response = client_for(client, wangjing_official).get(reverse("reports:report_pdf"))
    assert response.status_code == 200 and isinstance(response, FileResponse)  # served, not rendered
    assert b"".join(response.streaming_content) == b"%PDF-1.7 kept " + wangjing.code.encode()
    assert quote("望京") in response["Content-Disposition"]
    # Scope as before: another sub-district's kept file is not theirs.
    assert client.get(reverse("reports:report_pdf"), {"subdistrict": shuangjing.pk}).status_code == 404


def keep(day, subdistrict):
    path = report_path(date=day, subdistrict=subdistrict)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7 kept " + subdistrict.code.encode())
    return path


def test_an_earlier_runs_file_is_not_served_after_a_new_computation(
    client, bureau_official, report_data, settings, tmp_path
):
    settings.REPORTS_ROOT = tmp_path
    wangjing, _ = report_data
    keep(TODAY, wangjing)
    succeeded_run(TODAY, minutes_ago=-1)  # ended after the file was written: its figures may differ
    response = client_for(client, bureau_official).get(reverse("reports:report_pdf"), {"subdistrict": wangjing.pk})
    assert response.status_code == 200 and not isinstance(response, FileResponse)
    assert "望京" in pdf_text(response.content, tmp_path)  # rendered now


def test_without_a_run_or_after_a_failed_one_the_download_renders(report_data, settings, tmp_path):
    settings.REPORTS_ROOT = tmp_path
    wangjing, _ = report_data
    assert kept_report(date=TODAY, subdistrict=wangjing) is None  # nothing kept
    succeeded_run(TODAY, minutes_ago=5)
    keep(TODAY, wangjing)
    assert kept_report(date=TODAY, subdistrict=wangjing) is not None
    # A later run saved new figures, then failed on its district PDF: the kept file is not of them.
    failed = succeeded_run(TODAY, minutes_ago=1, status=RunStatus.FAILED)
    assert kept_report(date=TODAY, subdistrict=wangjing) is None
    # A later run that saved nothing (skipped, or failed before its commit) changes nothing.
    ComputationRun.objects.filter(pk=failed.pk).update(snapshot_count=0)
    assert kept_report(date=TODAY, subdistrict=wangjing) is not None


def test_the_task_stops_when_a_later_run_replaced_the_figures(report_data, monkeypatch):
    rendered = []
    monkeypatch.setattr(services, "render_report_file", lambda *, date, subdistrict=None: rendered.append(subdistrict))
    earlier = succeeded_run(TODAY, minutes_ago=5)
    succeeded_run(TODAY, minutes_ago=1)
    assert services.render_subdistrict_reports(earlier.pk) == 0 and rendered == []


def test_a_successful_run_queues_the_subdistrict_reports_for_a_worker(district, fake_report, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.render_subdistrict_reports_task, "delay", lambda run_id: queued.append(run_id))
    run = services.compute_indicators(date=DAY)  # in-process (the tests' and the embedded default): none
    assert run.status == RunStatus.SUCCEEDED and queued == []
    monkeypatch.setitem(tasks.render_subdistrict_reports_task.app.conf, "task_always_eager", False)
    run = services.compute_indicators(date=DAY)
    assert queued == [run.pk] and fake_report == [(DAY, None), (DAY, None)]  # the run itself: the district's only


def test_without_a_worker_the_command_renders_them_after_the_run(district, fake_report):
    out = io.StringIO()
    call_command("compute_indicators", "--date", DAY.isoformat(), "--subdistrict-reports", stdout=out)
    count = Subdistrict.objects.count()
    assert fake_report[0] == (DAY, None) and len(fake_report) == 1 + count
    assert {sub for _, sub in fake_report[1:]} == set(Subdistrict.objects.all())
    assert f"已生成 {count} 个街道/地区的报告" in out.getvalue()


def test_the_district_file_is_served_only_for_the_latest_runs_figures(report_data, settings, tmp_path):
    settings.REPORTS_ROOT = tmp_path
    assert kept_report(date=TODAY) is None  # nothing kept
    succeeded_run(TODAY, minutes_ago=5)
    path = render_report_file(date=TODAY)
    assert kept_report(date=TODAY) == path
    # A later run saved new figures and failed on its own PDF: the file is the earlier run's.
    failed = succeeded_run(TODAY, minutes_ago=1, status=RunStatus.FAILED)
    assert kept_report(date=TODAY) is None
    ComputationRun.objects.filter(pk=failed.pk).delete()
    assert kept_report(date=TODAY) == path
    # A later run that succeeded without rendering it (a backfill): it started after the file was read.
    succeeded_run(TODAY, minutes_ago=-1)
    assert kept_report(date=TODAY) is None


def test_a_render_that_began_before_a_newer_run_ended_is_not_served(report_data, settings, tmp_path, monkeypatch):
    settings.REPORTS_ROOT = tmp_path
    wangjing, _ = report_data
    succeeded_run(TODAY, minutes_ago=5)
    newer = succeeded_run(TODAY, minutes_ago=5)
    real = render_report_pdf

    def slow_render(**kwargs):
        # The newer run ends while this render (which read the older figures) is under way.
        ComputationRun.objects.filter(pk=newer.pk).update(finished_at=timezone.now() + datetime.timedelta(seconds=1))
        return real(**kwargs)

    monkeypatch.setattr("reports.pdf.render_report_pdf", slow_render)
    render_report_file(date=TODAY, subdistrict=wangjing)
    assert kept_report(date=TODAY, subdistrict=wangjing) is None


def test_kept_files_are_named_by_primary_key_not_code(report_data, settings, tmp_path):
    settings.REPORTS_ROOT = tmp_path
    wangjing, _ = report_data
    assert report_path(date=TODAY, subdistrict=wangjing).name == f"subdistrict-{wangjing.pk}.pdf"
