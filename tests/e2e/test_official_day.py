"""An official's day in real Chromium: a bureau official acknowledges a warning and assigns it to a
colleague; a director at a 390×844 phone answers a rectification order with a photo and the
inspector accepts it. Set SCREENSHOT_DIR to keep the pages as images (docs/screenshots)."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from accounts.choices import Role
from inspections.choices import OrderStatus
from reports.choices import WarningKind
from reports.follow_up import FollowUpStatus, WarningFollowUp
from reports.models import EarlyWarning
from tests.factories import UserFactory
from tests.inspections.factories import PNG_BYTES, order

from .test_safety_pages import assert_no_sideways_scroll, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def keep(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_an_official_acknowledges_a_warning_and_assigns_it(page: Page, live_server, bureau_official, wangjing):
    colleague = UserFactory(username="colleague", first_name="李科长", role=Role.BUREAU_OFFICIAL)
    warning = EarlyWarning.objects.create(
        date=datetime.date(2025, 10, 1),
        kind=WarningKind.SEAT_SHORTAGE,
        subdistrict=wangjing,
        year=2026,
        demand=1200,
        supply=1000,
        shortfall=200,
        message="望京 2026–2027学年预测学位需求 1,200 个，现有学位 1,000 个，缺口 200 个学位。",
    )
    sign_in(page, live_server, bureau_official)
    page.goto(f"{live_server.url}{reverse('reports:warning_list')}")
    expect(page.get_by_role("link", name="望京").first).to_be_visible()
    page.get_by_role("link", name=warning.message).click()
    expect(page.locator("#follow-up-status")).to_have_text("新预警")
    page.get_by_label("跟进状态").select_option(FollowUpStatus.ACKNOWLEDGED)
    page.get_by_label("负责人").select_option(str(colleague.pk))
    page.get_by_label("跟进记录").fill("已与望京街道联系，核实新建小区入住情况")
    page.get_by_role("button", name="保存跟进").click()
    expect(page.locator("#follow-up-status")).to_have_text("已确认")
    expect(page.locator("#follow-up-owner")).to_contain_text("李科长")
    follow_up = WarningFollowUp.objects.get()
    assert (follow_up.status, follow_up.owner) == (FollowUpStatus.ACKNOWLEDGED, colleague)
    keep(page, "warnings-follow-up.png")


def test_a_director_answers_an_order_on_a_phone_and_the_inspector_accepts(
    browser: Browser, page: Page, live_server, inspector, director_b, kg_b, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    rectification = order(kg_b, inspector)
    photo = tmp_path / "监控补装.png"
    photo.write_bytes(PNG_BYTES)

    phone = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    director = phone.new_page()
    sign_in(director, live_server, director_b)
    director.goto(f"{live_server.url}{rectification.get_absolute_url()}")
    assert_no_sideways_scroll(director)
    director.get_by_role("link", name="提交整改报告").click()
    file_input = director.get_by_label("佐证材料")
    assert file_input.get_attribute("capture") == "environment"
    director.get_by_label("整改报告").fill("已在东侧走廊补装 2 个摄像头，消除监控盲区。")
    file_input.set_input_files(str(photo))
    assert_no_sideways_scroll(director)
    keep(director, "order-answer-phone.png")
    director.get_by_role("button", name="提交整改报告").click()
    expect(director.locator("#answers")).to_contain_text("待审核")
    assert_no_sideways_scroll(director)
    phone.close()

    sign_in(page, live_server, inspector)
    page.goto(f"{live_server.url}{rectification.get_absolute_url()}")
    expect(page.locator("#answers img")).to_be_visible()
    page.get_by_role("button", name="通过整改报告").click()
    expect(page.locator("#answers")).to_contain_text("已通过")
    rectification.refresh_from_db()
    assert rectification.status == OrderStatus.RECTIFIED
