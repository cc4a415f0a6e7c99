"""The dashboard's panels in real Chromium when one cannot be loaded: the others arrive, the
failed one says so and keeps its link (static/js/dashboard_panels.js)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from reports import registry
from reports.registry import DashboardPanel

from .test_safety_pages import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def broken(user, subdistrict):
    raise RuntimeError("a panel that fails")


def test_a_panel_that_fails_says_so_and_keeps_its_link(page: Page, live_server, bureau_official):
    panel = registry.register_panel(DashboardPanel(name="broken", template="reports/_quality_panel.html", build=broken))
    try:
        sign_in(page, live_server, bureau_official)
        page.goto(f"{live_server.url}/dashboard/")
        expect(page.locator("#staff-panel")).to_be_visible()
        failed = page.locator(".panel-failed")
        expect(failed).to_have_count(1)
        expect(failed).to_contain_text("未能加载此栏目。")
        expect(failed.get_by_role("link")).to_have_attribute("href", "/dashboard/panels/broken/")
        expect(page.locator("[aria-busy]")).to_have_count(0)
    finally:
        registry.unregister_panel(panel)
