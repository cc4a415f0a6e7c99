"""The dashboard's reporting completeness in real Chromium: a bureau official sees that 3 of 4
kindergartens have reported (暂定), follows the link to the missing one, and a sub-district
official's own dashboard is complete; the apps' panels arrive after the page is shown. Set
SCREENSHOT_DIR to keep the pages as images (docs/screenshots/dashboard-completeness.png)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from reports.services import compute_indicators
from tests.reports.conftest import DAY, district, fake_report  # noqa: F401  (fixtures)

from .test_safety_pages import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def keep(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


@pytest.fixture
def computed(district, fake_report):  # noqa: F811
    run = compute_indicators(date=DAY)
    assert run.status == "succeeded", run.error
    return district


def test_an_official_sees_what_the_figures_stand_on_and_who_is_missing(
    page: Page, live_server, computed, bureau_official
):
    sign_in(page, live_server, bureau_official)
    page.goto(f"{live_server.url}/dashboard/")
    # The apps' panels are fetched after the page is shown (static/js/dashboard_panels.js): each
    # placeholder gives way to its panel, none is left loading or failed.
    for heading in ("#staff-panel", "#safety-panel", "#quality-panel", "#estate-panel", "#recognition-panel"):
        expect(page.locator(heading)).to_be_visible()
    expect(page.locator("[data-panel-url]")).to_have_count(0)
    expect(page.locator("#staff-panel")).to_contain_text("教职工配备")

    banner = page.locator("#completeness")
    expect(banner).to_contain_text("已报 3 / 应报 4 所（75.0%），占核定学位 77.7%")
    expect(banner).to_contain_text("暂定")
    expect(page.locator(".subdistrict-table")).to_contain_text("0/1 · 学位 0.0%")
    keep(page, "dashboard-completeness.png")

    banner.get_by_role("link", name="1 所未报送，查看名单").click()
    expect(page.locator("#tracker")).to_contain_text(computed.f.name)
    expect(page.locator("#tracker")).not_to_contain_text(computed.a.name)
    keep(page, "dashboard-completeness-missing.png")
