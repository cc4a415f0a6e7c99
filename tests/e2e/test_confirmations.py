"""An irreversible action asks first, in a real browser: static/js/confirm.js stops the form when
the question is dismissed and lets it through when it is accepted."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from enrollment.choices import SubmissionStatus
from tests.enrollment.factories import SchoolYearFactory, SubmissionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_returning_a_report_asks_first(page: Page, live_server, login, bureau_official, kg_a):
    year = SchoolYearFactory(start_year=2026)
    submission = SubmissionFactory(kindergarten=kg_a, school_year=year, submitted=True)
    login(bureau_official)
    page.goto(f"{live_server.url}/enrollment/report/{kg_a.pk}/2026/")
    questions = []

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="退回修改").click()
    expect(page.get_by_role("button", name="退回修改")).to_be_visible()
    submission.refresh_from_db()
    assert questions == ["确定退回该园的报送，由园长修改后重新报送？"]
    assert submission.status == SubmissionStatus.SUBMITTED

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="退回修改").click()
    expect(page.locator(".messages")).to_be_visible()
    submission.refresh_from_db()
    assert submission.status != SubmissionStatus.SUBMITTED
