"""The Content-Security-Policy in real Chromium: pages that used inline code before work with it
on and the browser reports no violation: the language switch, the account page (issue a token) and the API docs (Swagger UI, its script from ?script)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def watch_violations(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None)
    return seen


def test_the_portal_works_under_the_policy(page: Page, live_server, login, bureau_official, kg_a):
    violations = watch_violations(page)
    login(bureau_official)

    page.goto(f"{live_server.url}/kindergartens/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The language switch submits itself (data-autosubmit, was onchange=).
    page.get_by_label("语言").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.goto(f"{live_server.url}/accounts/security/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="生成令牌").click()
    expect(page.locator("#new-token")).to_be_visible()

    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info")).to_be_visible()

    assert violations == []
