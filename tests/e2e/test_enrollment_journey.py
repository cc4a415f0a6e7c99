"""The director's enrolment report in a real browser, over figures the bureau has imported.

The bureau uploads the statistics workbook; the director, on a phone-sized screen, finds the form
filled in from those official figures, saves a draft with other numbers (the official figures and
the indicators stay as they were), then submits it as a correction; the bureau sees old and new
side by side and accepts it, and only then do the official figures change.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from enrollment.choices import SubmissionStatus
from enrollment.models import EnrollmentSubmission, SchoolClass
from tests.enrollment.factories import SchoolYearFactory
from tests.enrollment.test_statistics_import import valid_sheets, workbook

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def official_enrolled(kindergarten) -> list[tuple[str, int]]:
    return sorted(SchoolClass.objects.filter(kindergarten=kindergarten).values_list("name", "enrolled"))


def enrolled_input(page: Page, class_name: str):
    row = page.locator("tr.class-row").filter(has=page.locator(f"input[value='{class_name}']"))
    return row.locator("input[name$='-enrolled']")


def test_a_directors_draft_and_correction_never_overwrite_the_imported_figures(
    page: Page, browser: Browser, live_server, login, bureau_official, director_a, kg_a, kg_c
):
    SchoolYearFactory(start_year=2026)
    report_url = f"{live_server.url}/enrollment/report/{kg_a.pk}/2026/"

    # The bureau uploads the annual workbook.
    login(bureau_official)
    page.goto(f"{live_server.url}/enrollment/statistics/import/")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "统计报表.xlsx"
        path.write_bytes(workbook(valid_sheets()).read())
        page.locator("input[type=file]").set_input_files(str(path))
        page.get_by_role("button", name="上传并导入").click()
    expect(page.locator("#import-result")).to_contain_text("导入完成")
    imported = official_enrolled(kg_a)
    assert imported == [("大一班", 36), ("小一班", 24)]

    # The director, on a phone, finds the form filled in from the official figures.
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    director = phone.new_page()
    director.goto(f"{live_server.url}/accounts/login/")
    director.get_by_label("用户名").fill(director_a.username)
    director.get_by_label("密码").fill("portal-pass-123")
    director.get_by_role("button", name="登录").click()
    director.wait_for_url(lambda url: "/accounts/login/" not in url)
    director.goto(report_url)
    expect(director.locator("#official-notice")).to_contain_text("表单从正式数据开始")
    expect(enrolled_input(director, "小一班")).to_have_value("24")

    # A draft with other numbers leaves the official figures alone.
    enrolled_input(director, "小一班").fill("20")
    enrolled_input(director, "大一班").fill("30")
    for age, children in {"3": "20", "5": "25", "6": "5"}.items():
        director.locator(f"input[name='ages-age_{age}']").fill(children)
    director.get_by_role("button", name="保存草稿").click()
    expect(director.locator(".messages")).to_contain_text("正式数据未改动")
    expect(director.locator("#official-notice")).to_contain_text("以下是您保存的草稿")
    expect(enrolled_input(director, "小一班")).to_have_value("20")
    assert official_enrolled(kg_a) == imported

    # Submitting it files a correction; still nothing official changes.
    director.get_by_role("button", name="报送", exact=True).click()
    expect(director.locator(".messages")).to_contain_text("已报送更正")
    expect(director.locator("#correction")).to_be_visible()
    assert EnrollmentSubmission.objects.get(kindergarten=kg_a).status == SubmissionStatus.CORRECTION
    assert official_enrolled(kg_a) == imported
    phone.close()

    # The bureau sees old and new side by side and accepts.
    page.goto(report_url)
    correction = page.locator("#correction")
    expect(correction.locator("td.changed").first).to_be_visible()
    expect(correction).to_contain_text("在班 24")
    expect(correction).to_contain_text("在班 20")
    correction.get_by_role("button", name="采纳更正").click()
    expect(page.locator(".messages")).to_contain_text("已采纳")
    expect(page.locator("#correction")).to_have_count(0)
    assert official_enrolled(kg_a) == [("大一班", 30), ("小一班", 20)]
