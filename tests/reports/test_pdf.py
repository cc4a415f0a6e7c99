"""The PDF report: real WeasyPrint output read back with poppler (pdftotext, pdffonts), the
nightly file kept per date, and the scoped download."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import reverse

from reports.choices import WarningKind
from reports.models import EarlyWarning, SeatForecast
from reports.pdf import render_report_file, render_report_pdf, report_path
from tests.conftest import client_for

from .test_dashboard import EARLIER, TODAY, figures  # noqa: F401 — the fixture is used by name

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
