"""Major-hazard supervision in real Chromium: a major hazard left overdue climbs the ladder — the
sub-district official finds it on their list and records an interview, then the bureau sees it at
its own level. Time moves by calling the daily service with later dates, never by sleeping."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from safety import services
from safety.choices import HazardCategory, Severity, SupervisionLevel
from safety.models import SupervisionOrder

from .conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_major_hazard_left_overdue_reaches_the_subdistrict_then_the_bureau(
    browser: Browser, page: Page, live_server, bureau_official, wangjing_official, kg_a
):
    hazard = services.hazard_open(
        kindergarten=kg_a,
        user=bureau_official,
        category=HazardCategory.BUILDING,
        severity=Severity.MAJOR,
        description="后楼外墙瓷砖空鼓，有脱落风险",
        owner="后勤主任",
        found_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    order = SupervisionOrder.objects.get(hazard=hazard)
    list_url = f"{live_server.url}{reverse('safety:supervision_list')}"

    official = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    official_page = official.new_page()
    sign_in(official_page, live_server, wangjing_official)
    official_page.goto(list_url)
    expect(official_page.locator("table")).to_contain_text("没有符合条件的督办")

    services.supervision_escalate(today=hazard.deadline + datetime.timedelta(days=1))
    official_page.goto(list_url)
    expect(official_page.locator("table")).to_contain_text(kg_a.name)
    official_page.get_by_role("link", name="后楼外墙瓷砖空鼓").click()
    expect(official_page.locator("#order-level")).to_have_text("街道/地区督办")
    official_page.get_by_role("link", name="登记约谈").click()
    official_page.locator("#id_interviewer").fill("望京街道平安办 赵晓峰")
    official_page.locator("#id_party").select_option("both")
    official_page.locator("#id_attendees").fill("园长 李某，举办者代表 王某")
    official_page.locator("#id_summary").fill("三日内封闭下方通道并提交维修方案")
    official_page.get_by_role("button", name="保存").click()
    expect(official_page.locator("#interviews")).to_contain_text("赵晓峰")
    official.close()

    services.supervision_escalate(today=hazard.deadline + datetime.timedelta(days=7))
    assert SupervisionOrder.objects.get(pk=order.pk).level == SupervisionLevel.BUREAU
    sign_in(page, live_server, bureau_official)
    page.goto(f"{list_url}?level=bureau")
    expect(page.locator("table")).to_contain_text(kg_a.name)
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    expect(page.locator("#order-level")).to_have_text("区教委督办")
    expect(page.locator("#events li")).to_have_count(3)
    expect(page.locator("#events")).to_contain_text("街道/地区 → 区教委")
    expect(page.locator("#interviews")).to_contain_text("三日内封闭下方通道")

    page.goto(f"{live_server.url}{reverse('safety:hazard_overdue')}")
    expect(page.locator("#ageing-chart canvas")).to_have_count(1)
    expect(page.locator('#ageing-table tr[data-bucket="1-7"]')).to_contain_text("1")
