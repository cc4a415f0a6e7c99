"""Date fields show and accept yyyy-mm-dd with a picker whatever the browser's locale
(static/js/dates.js over the vendored flatpickr), in real Chromium set to US English."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from enrollment.models import SchoolYear
from tests.e2e.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_date_is_typed_and_picked_as_yyyy_mm_dd_in_a_us_browser(browser: Browser, live_server, bureau_official):
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="en-US", timezone_id="America/New_York"
    )
    # The page in Chinese (the portal's language), the browser in US English.
    context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("用户名").fill(bureau_official.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}{reverse('enrollment:schoolyear_add')}")
    due = page.locator("#id_submission_due")
    # A text field with the picker, not the browser's mm/dd/yyyy date field.
    expect(due).to_have_attribute("type", "text")
    expect(due).to_have_attribute("placeholder", "yyyy-mm-dd")
    due.click()
    calendar = page.locator(".flatpickr-calendar.open")
    expect(calendar).to_be_visible()
    expect(calendar.locator(".flatpickr-weekdays")).to_contain_text("一")  # the page is Chinese
    calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)", has_text="15").first.click()
    expect(due).to_have_value(re.compile(r"^\d{4}-\d{2}-15$"))

    # Typed: yyyy-mm-dd (slashes and missing zeros accepted), read by the server as that date.
    due.fill("2031/9/1")
    page.locator("h1").click()  # away from the field: the typed date is read
    expect(due).to_have_value("2031-09-01")
    page.locator("#id_start_year").fill("2031")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".messages")).to_be_visible()
    assert SchoolYear.objects.get(start_year=2031).submission_due == datetime.date(2031, 9, 1)
    context.close()
