"""「立即计算」 in a real browser: it asks first; accepted, the job runs (in-process on the embedded
default) and the runs list shows its result; a run still under way is watched by
static/js/run_status.js, which reloads the list once the run has ended."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from reports import services
from reports.choices import RunStatus
from reports.models import ComputationRun

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def no_pdf(monkeypatch, tmp_path):
    """The PDF is another test's business: a small file instead of seconds in WeasyPrint."""

    def render_report_file(*, date, subdistrict=None):
        path = tmp_path / f"report-{date.isoformat()}.pdf"
        path.write_bytes(b"%PDF-1.7\n")
        return path

    monkeypatch.setattr(services, "render_report_file", render_report_file)


def test_compute_now_asks_then_runs_and_shows_the_result(page: Page, live_server, login, bureau_official, no_pdf):
    login(bureau_official)
    page.goto(f"{live_server.url}/dashboard/runs/")
    button = page.get_by_role("button", name="立即计算")

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    button.click()
    expect(button).to_be_visible()
    assert questions and "替换" in questions[0]
    assert not ComputationRun.objects.exists()

    page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    expect(page.locator(".messages")).to_contain_text("已完成")
    expect(page.locator("tbody tr").first).to_contain_text("成功")
    run = ComputationRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED and run.triggered_by == bureau_official


def test_the_runs_list_follows_a_run_under_way(page: Page, live_server, login, bureau_official):
    run = ComputationRun.objects.create(date=datetime.date(2025, 11, 28))
    login(bureau_official)
    page.goto(f"{live_server.url}/dashboard/runs/")
    expect(page.locator(".run-watch")).to_contain_text("计算进行中")
    expect(page.locator(f'tr[data-run="{run.pk}"]')).to_contain_text("运行中")

    ComputationRun.objects.filter(pk=run.pk).update(
        status=RunStatus.SUCCEEDED, finished_at=timezone.now(), snapshot_count=42
    )
    row = page.locator(f'tr[data-run="{run.pk}"]')
    expect(row).to_contain_text("成功")  # the script saw the change and reloaded the page
    expect(row).to_contain_text("42")
    expect(page.locator(".run-watch")).to_have_count(0)
