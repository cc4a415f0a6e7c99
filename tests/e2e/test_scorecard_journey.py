"""A sub-district official reads their published scorecard in a real browser, on a desktop and on
a 390 px phone: the score, the rank, where the points were lost, the items without data and the
method, with no sideways scrolling. Snapshots and the method are the unit tests' hand-made case."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from reports.models import ScorecardMethod
from reports.scorecards import compute_scorecards, scorecards_publish
from tests.factories import subdistrict
from tests.reports.test_scorecards import FIGURES, ITEMS, YEAR, snapshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DAY = datetime.date(2026, 3, 1)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def published(bureau_official):
    ScorecardMethod.objects.create(name="测试办法", valid_from=datetime.date(2025, 9, 1), items=ITEMS)
    for name, figures in FIGURES.items():
        for code, value in figures.items():
            snapshot(DAY, subdistrict(name), code, value)
    compute_scorecards(year=YEAR)
    scorecards_publish(year=YEAR, user=bureau_official)


def read_card(page: Page, base: str) -> None:
    page.goto(f"{base}/reports/scorecards/")
    expect(page.get_by_role("heading", name="望京 · 2025–2026 学年")).to_be_visible()
    expect(page.get_by_test_id("score")).to_have_text("91.00")
    losing = page.locator("ul.losing li")
    expect(losing).to_have_count(2)
    expect(losing.first).to_contain_text("普惠性幼儿园覆盖率")
    expect(losing.first).to_contain_text("失 5.00 分")
    expect(page.locator(".score-item.no-data")).to_have_count(1)
    expect(page.get_by_role("heading", name="评分办法")).to_be_visible()
    expect(page.get_by_text("双井")).to_have_count(0)  # another area's card is not shown


def test_it_shows_an_official_where_their_area_loses_points(
    browser: Browser, page: Page, live_server, login, published, wangjing_official
):
    login(wangjing_official)
    read_card(page, live_server.url)

    phone = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        small = phone.new_page()
        small.goto(f"{live_server.url}/accounts/login/")
        small.get_by_label("用户名").fill(wangjing_official.username)
        small.get_by_label("密码").fill("portal-pass-123")
        small.get_by_role("button", name="登录").click()
        small.wait_for_url(lambda url: "/accounts/login/" not in url)
        read_card(small, live_server.url)
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
    finally:
        phone.close()
