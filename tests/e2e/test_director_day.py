"""A director's day on a phone (390×844): the home page lists the overdue enrolment report first;
its button opens the report, the director submits it, and back home the item is gone. The home
page never scrolls sideways, and the menu button opens the navigation."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from enrollment.choices import ClassType, SubmissionStatus
from enrollment.models import EnrollmentSubmission, SchoolYear
from tests.e2e.conftest import PASSWORD
from tests.enrollment.factories import EnrollmentByAgeFactory, SchoolClassFactory, SchoolYearFactory
from tests.safety.conftest import open_hazard

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_director_clears_the_overdue_report_from_their_phone(
    browser: Browser, live_server, director_a, kg_a, bureau_official, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    year = SchoolYearFactory(
        start_year=SchoolYear.start_year_for(today), submission_due=today - datetime.timedelta(days=4)
    )
    # The bureau's imported figures: the form starts from them, so the director only checks and submits.
    SchoolClassFactory(
        kindergarten=kg_a, school_year=year, class_type=ClassType.SMALL, name="小一班", approved_size=25, enrolled=24
    )
    EnrollmentByAgeFactory(kindergarten=kg_a, school_year=year, age=3, children=24)
    open_hazard(kg_a, bureau_official, description="大门门禁失灵")

    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(director_a.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")

    items = page.locator("#due .due-item")
    expect(items.first).to_contain_text("在园情况报送")
    expect(items.first).to_contain_text("已逾期 4 天")
    expect(page.locator("#due")).to_contain_text("大门门禁失灵")
    assert no_sideways_scroll(page)

    # The navigation is behind the menu button on a phone.
    nav = page.locator("#mainnav")
    expect(nav).to_be_hidden()
    page.get_by_role("button", name="菜单").click()
    expect(nav).to_be_visible()
    expect(nav).not_to_contain_text("人口数据")
    assert no_sideways_scroll(page)

    items.first.get_by_role("link", name="去报送").click()
    page.wait_for_url(f"**/enrollment/report/{kg_a.pk}/{year.start_year}/")
    page.get_by_role("button", name="报送", exact=True).click()
    expect(page.locator(".messages")).to_be_visible()
    submission = EnrollmentSubmission.objects.get(kindergarten=kg_a, school_year=year)
    assert submission.status == SubmissionStatus.SUBMITTED

    page.locator(".brand").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("#due")).not_to_contain_text("在园情况报送")
    expect(page.locator("#due")).to_contain_text("大门门禁失灵")
    assert no_sideways_scroll(page)
    context.close()
