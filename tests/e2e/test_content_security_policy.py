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


def test_the_administrator_enrols_an_authenticator_under_the_policy(
    page: Page, live_server, login, bureau_admin, settings
):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.OTP_REQUIRED_ROLES = ["bureau_admin"]
    violations = watch_violations(page)
    login(bureau_admin)
    page.goto(f"{live_server.url}/kindergartens/")
    page.wait_for_url("**/accounts/security/otp/enrol/**")
    expect(page.get_by_role("heading", name="启用两步验证")).to_be_visible()
    qr = page.locator("img.otp-qr")
    expect(qr).to_be_visible()
    assert page.evaluate("document.querySelector('img.otp-qr').naturalWidth") > 0  # the SVG data URI loaded

    device = TOTPDevice.objects.get(user=bureau_admin, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("验证码").fill(str(totp.token()).zfill(device.digits))
    page.get_by_role("button", name="验证并启用").click()
    # The recovery codes, shown once, then on to the page that was asked for.
    expect(page.get_by_role("heading", name="两步验证恢复码")).to_be_visible()
    expect(page.locator("ol.recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="我已保存，继续").click()
    page.wait_for_url("**/kindergartens/")
    assert TOTPDevice.objects.get(user=bureau_admin).confirmed
    assert violations == []


def admin_pages(user) -> list[str]:
    """Every change list of the admin site, a change form and a history page of the user."""
    from django.contrib import admin
    from django.urls import reverse

    pages = [reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist") for m in admin.site._registry]
    pages += [
        reverse("admin:accounts_user_change", args=[user.pk]),
        reverse("admin:accounts_user_history", args=[user.pk]),
    ]
    return sorted(pages)


def test_the_admin_site_works_under_the_policy(page: Page, live_server, login, bureau_admin, kg_a):
    """Django's change list writes a <style> block when a list has no actions, and
    django-simple-history's history page a style attribute: both are replaced (templates/admin/,
    templates/simple_history/), so the admin keeps the portal's policy."""
    violations = watch_violations(page)
    login(bureau_admin)
    found = []
    for path in admin_pages(bureau_admin):
        before = len(violations)
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("#content")).to_be_visible()
        found.extend(f"{path}: {text}" for text in violations[before:])
    assert found == []
