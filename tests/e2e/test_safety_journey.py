"""The safety-check journey in real Chromium: an inspector records a spot check with a failed item, a
hazard opens from it; the director, on a 390×844 phone, starts rectification and submits it with a
photo; the inspector verifies and closes it. And a director self-checks on the phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from safety import services
from safety.choices import ChecklistFrequency, HazardCategory, HazardStatus, Severity
from safety.models import CheckResult, Hazard, SafetyCheck
from tests.inspections.factories import PNG_BYTES

from .conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
ITEMS = (
    (HazardCategory.THREE_DEFENCES, "门卫在岗，来访人员登记后入园", Severity.GENERAL),
    (HazardCategory.FIRE, "疏散通道、安全出口畅通，无杂物堆放", Severity.MAJOR),
    (HazardCategory.FOOD, "食品留样 48 小时以上，记录完整", Severity.GENERAL),
)


def sign_in(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def assert_no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


def publish_checklist(user):
    _template, draft = services.checklist_template_create(
        user=user, name="幼儿园每日安全检查表", frequency=ChecklistFrequency.DAILY
    )
    for category, text, severity in ITEMS:
        services.checklist_item_save(version=draft, user=user, category=category, text=text, severity=severity)
    return services.checklist_version_publish(version=draft, user=user)


def choose(page: Page, item_pk: int, outcome: str) -> None:
    page.locator(f"#item-{item_pk}").get_by_label(outcome, exact=True).check()


@pytest.fixture
def photo_file(tmp_path) -> Path:
    path = tmp_path / "site.png"
    path.write_bytes(PNG_BYTES)
    return path


def test_a_spot_check_failure_is_rectified_on_a_phone_and_closed(
    browser: Browser,
    page: Page,
    live_server,
    bureau_official,
    inspector,
    director_b,
    kg_b,
    settings,
    tmp_path,
    photo_file,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    version = publish_checklist(bureau_official)
    gate, exits, food = version.items.order_by("order")

    # The inspector records a spot check: two items answered and saved, the third after.
    sign_in(page, live_server, inspector)
    page.goto(f"{live_server.url}{reverse('safety:check_list')}")
    page.get_by_role("link", name="开始抽查").click()
    page.get_by_label("幼儿园").select_option(str(kg_b.pk))
    page.get_by_label("检查表").select_option(str(version.pk))
    page.get_by_label("检查人员").fill("陈督学、王工程师")
    page.get_by_role("button", name="开始检查").click()
    expect(page.locator(".progress")).to_have_text("已作答 0 / 3")
    choose(page, gate.pk, "不适用")
    expect(page.locator(".progress")).to_have_text("已作答 1 / 3")  # counted as the user taps
    choose(page, gate.pk, "合格")
    choose(page, exits.pk, "不合格")
    page.get_by_label("第 2 项情况记录").fill("后楼梯安全出口堆放床垫，门被上锁")
    page.get_by_label("第 2 项拍照").set_input_files(str(photo_file))
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("已保存草稿。")).to_be_visible()
    expect(page.locator(".progress")).to_have_text("已作答 2 / 3")
    assert page.url.endswith(f"#item-{food.pk}")  # the draft keeps its place: the next unanswered item
    expect(page.locator(f"#item-{exits.pk} input[value=fail]")).to_be_checked()
    expect(page.locator(f"#item-{exits.pk}")).to_contain_text("已有 1 张照片")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交检查").click()
    expect(page.get_by_role("alert")).to_contain_text("还有 1 项未作答（第 3 项）")  # nothing submitted
    assert SafetyCheck.objects.get().is_draft and not Hazard.objects.exists()
    choose(page, food.pk, "不适用")
    page.locator("#id_findings").fill("总体良好，消防通道问题须立即整改。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交检查").click()
    expect(page.get_by_text("检查已提交。登记隐患 1 条。")).to_be_visible()
    expect(page.locator(".badges")).to_contain_text("已提交")
    expect(page.locator("#hazards")).to_contain_text("第 2 项 · 重大隐患")

    # The hazard opened from the failed item, pre-filled.
    page.locator("#hazards a").click()
    expect(page.locator("#from-check")).to_contain_text("督导抽查 · 幼儿园每日安全检查表")
    expect(page.locator(".facts")).to_contain_text("不符合：疏散通道、安全出口畅通，无杂物堆放")
    expect(page.locator(".badges")).to_contain_text("重大隐患")
    expect(page.locator(".photos img")).to_have_count(1)
    hazard = CheckResult.objects.get(item=exits).hazard
    assert hazard.category == HazardCategory.FIRE and hazard.opened_by == inspector

    # The director, on a phone, finds it on the kindergarten's safety page and rectifies it.
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    director_page = phone.new_page()
    sign_in(director_page, live_server, director_b)
    director_page.goto(f"{live_server.url}{reverse('safety:index')}")
    expect(director_page.locator("#checks")).to_contain_text("督导抽查 · 幼儿园每日安全检查表")
    assert_no_sideways_scroll(director_page)
    director_page.get_by_role("link", name=re.compile("重大隐患 · 不符合：疏散通道")).click()
    expect(director_page.locator(".badges")).to_contain_text("待整改")
    assert_no_sideways_scroll(director_page)
    director_page.get_by_role("button", name="开始整改").click()
    expect(director_page.locator(".badges")).to_contain_text("整改中")
    director_page.get_by_label("说明").fill("已清走床垫，安全出口门锁改为推杠锁")
    director_page.get_by_label("整改后照片").set_input_files(str(photo_file))
    director_page.get_by_role("button", name="提交整改结果").click()
    expect(director_page.locator(".badges")).to_contain_text("待验收")
    expect(director_page.locator(".photos img")).to_have_count(2)
    assert_no_sideways_scroll(director_page)
    director_page.goto(f"{live_server.url}{SafetyCheck.objects.get().get_absolute_url()}")
    expect(director_page.locator("#hazards")).to_contain_text("待验收")
    assert_no_sideways_scroll(director_page)
    phone.close()

    # The inspector verifies and closes it; the check shows the hazard closed.
    page.goto(f"{live_server.url}{hazard.get_absolute_url()}")
    expect(page.locator(".events")).to_contain_text("已清走床垫")
    page.get_by_role("button", name="验收销号").click()
    expect(page.locator(".badges")).to_contain_text("已验收销号")
    page.locator("#from-check a").click()
    expect(page.locator("#hazards")).to_contain_text("已验收销号")
    assert Hazard.objects.get().status == HazardStatus.CLOSED


def test_a_director_self_checks_on_a_phone(browser: Browser, live_server, bureau_official, director_b, kg_b):
    version = publish_checklist(bureau_official)
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = phone.new_page()
    sign_in(page, live_server, director_b)
    page.goto(f"{live_server.url}{reverse('safety:profile_detail', args=[kg_b.pk])}")
    page.get_by_role("link", name="开始自查").click()
    expect(page.get_by_label("幼儿园")).to_have_value(str(kg_b.pk))
    page.get_by_role("button", name="开始检查").click()
    assert_no_sideways_scroll(page)
    for item in version.items.all():
        choose(page, item.pk, "合格")
    expect(page.locator(f"#item-{version.items.first().pk} .o-pass")).to_have_css("color", "rgb(255, 255, 255)")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交检查").click()
    expect(page.get_by_text("检查已提交。登记隐患 0 条。")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("合格 3 项，不合格 0 项，不适用 0 项")
    assert_no_sideways_scroll(page)
    assert SafetyCheck.objects.get().kind == "self" and not Hazard.objects.exists()
    phone.close()
