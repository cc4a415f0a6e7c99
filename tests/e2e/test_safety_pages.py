"""The safety pages in real Chromium: a director at a 360 px phone viewport rectifies a hazard with
a photo, the inspector verifies it on a desktop; no safety page scrolls sideways on the phone."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from safety import services
from safety.choices import HazardCategory, HazardStatus, Severity
from safety.models import Hazard
from tests.inspections.factories import PNG_BYTES

from .conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 360, "height": 740}


def sign_in(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def assert_no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


def test_a_director_rectifies_on_a_phone_and_the_inspector_closes(
    browser: Browser, page: Page, live_server, inspector, director_b, kg_b, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    services.profile_save(kindergarten=kg_b, user=director_b, staff_count=40, guards_full_time=2)
    hazard = services.hazard_open(
        kindergarten=kg_b,
        user=inspector,
        category=HazardCategory.FIRE,
        severity=Severity.MAJOR,
        description="消防通道被杂物堵塞，影响紧急疏散，需要立即清理并设置禁止堆放标识",
        owner="李园长",
    )
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    director_page = phone.new_page()
    sign_in(director_page, live_server, director_b)
    for url in (
        reverse("safety:profile_detail", args=[kg_b.pk]),
        reverse("safety:profile_edit", args=[kg_b.pk]),
        reverse("safety:drill_add", args=[kg_b.pk]),
        reverse("safety:hazard_list"),
        reverse("safety:hazard_overdue"),
        hazard.get_absolute_url(),
    ):
        director_page.goto(f"{live_server.url}{url}")
        assert_no_sideways_scroll(director_page)
    director_page.goto(f"{live_server.url}{reverse('safety:profile_detail', args=[kg_b.pk])}")
    expect(director_page.locator('[data-rule="guards"]')).to_contain_text("登记 2 名")

    director_page.goto(f"{live_server.url}{hazard.get_absolute_url()}")
    with tempfile.TemporaryDirectory() as folder:
        photo = Path(folder) / "after.png"
        photo.write_bytes(PNG_BYTES)
        director_page.get_by_label("说明").fill("已清理通道并张贴标识")
        director_page.get_by_label("整改后照片").set_input_files(str(photo))
        director_page.get_by_role("button", name="提交整改结果").click()
    expect(director_page.locator(".badges")).to_contain_text("待验收")
    assert_no_sideways_scroll(director_page)
    phone.close()

    sign_in(page, live_server, inspector)
    page.goto(f"{live_server.url}{hazard.get_absolute_url()}")
    expect(page.locator(".photos img")).to_have_count(1)
    page.get_by_role("button", name="验收销号").click()
    expect(page.locator(".badges")).to_contain_text("已验收销号")
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.CLOSED
