"""Long forms keep their place after saving (static/js/keep_place.js), in real Chromium on a phone:
a director halfway down the self-assessment saves the draft and is back where they were, not at
the top; a save that fails shows its errors at the top instead."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from inspections import services
from tests.e2e.conftest import PASSWORD
from tests.inspections.factories import assign, cycle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def test_saving_a_draft_keeps_the_directors_place(browser: Browser, live_server, director_a, kg_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    evaluation_cycle = cycle()
    assign(evaluation_cycle, kg_a, year=evaluation_cycle.start_year + 1)
    draft = services.self_assessment_start(kindergarten=kg_a, cycle=evaluation_cycle, user=director_a)

    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("用户名").fill(director_a.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}{reverse('inspections:self_assessment_edit', args=[draft.pk])}")
    summary = page.locator("#id_summary")
    summary.scroll_into_view_if_needed()
    summary.fill("本学期重点改进师幼互动。")
    where = page.evaluate("window.scrollY")
    assert where > 1000  # far down a long form

    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_contain_text("草稿已保存")
    expect(page.locator("html")).to_have_attribute("data-place-kept", str(round(where)))
    assert abs(page.evaluate("window.scrollY") - where) <= 2
    expect(summary).to_have_value("本学期重点改进师幼互动。")

    # Another page does not inherit the place.
    page.goto(f"{live_server.url}{reverse('inspections:self_assessment_mine')}")
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate("window.scrollY") == 0
    context.close()
