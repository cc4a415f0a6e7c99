"""「立即计算」: asks first, queues the computation as a Celery task, and the runs list shows its
progress and result (polling the JSON status endpoint, bureau staff only)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reports import tasks
from reports.choices import RunStatus
from reports.models import ComputationRun
from tests.conftest import client_for

COMPUTE = reverse("reports:compute_now")
STATUS = reverse("reports:run_status")
RUNS = reverse("reports:run_list")
TEMPLATES = Path(settings.BASE_DIR) / "templates" / "reports"

pytestmark = pytest.mark.django_db


class Waiting:
    """What `delay()` returns when a worker has not picked the task up yet."""

    result = None

    def ready(self) -> bool:
        return False


@pytest.fixture
def queued(monkeypatch) -> list:
    calls: list = []
    monkeypatch.setattr(tasks.compute_indicators_task, "delay", lambda *args: calls.append(args) or Waiting())
    return calls


def test_both_buttons_ask_before_computing():
    for name in ("dashboard.html", "run_list.html"):
        form = re.search(r"<form[^>]*reports:compute_now[^>]*>", (TEMPLATES / name).read_text()).group(0)
        assert "data-confirm=" in form, name


def test_it_queues_the_task_with_todays_date_and_the_official(client, bureau_official, queued):
    response = client_for(client, bureau_official).post(COMPUTE)
    assert response.status_code == 302 and response.url.startswith(RUNS + "?queued=")
    ((date_iso, user_id),) = queued
    assert user_id == bureau_official.pk and datetime.date.fromisoformat(date_iso)
    assert not ComputationRun.objects.exists()  # the worker creates the run when it starts
    page = client.get(response.url)
    html = page.content.decode()
    assert "已提交今天的指标计算" in html and "计算已排队" in html
    assert f'data-run-status-url="{STATUS}?queued=' in html and "js/run_status.js" in html


def test_only_bureau_staff_may_queue_it(client, wangjing_official, director_a, queued):
    assert client_for(client, wangjing_official).post(COMPUTE).status_code == 403
    assert client_for(client, director_a).post(COMPUTE).status_code == 403
    assert queued == []


def test_the_status_endpoint_reports_running_and_finished_runs(client, bureau_official):
    done = ComputationRun.objects.create(date=datetime.date(2025, 11, 27), status=RunStatus.SUCCEEDED, snapshot_count=9)
    client_for(client, bureau_official)
    data = client.get(STATUS).json()
    assert data["active"] is False and data["pending"] is False
    assert data["runs"][0]["id"] == done.pk and data["runs"][0]["snapshot_count"] == 9
    html = client.get(RUNS).content.decode()
    assert "data-run-status-url" not in html  # nothing under way: the page does not poll
    running = ComputationRun.objects.create(date=datetime.date(2025, 11, 28))
    data = client.get(STATUS).json()
    assert data["active"] is True and [r["id"] for r in data["runs"]] == [running.pk, done.pk]
    assert data["runs"][0]["status"] == RunStatus.RUNNING and data["runs"][0]["status_display"] == "运行中"
    html = client.get(RUNS).content.decode()
    assert f'data-run-fingerprint="{running.pk}:running,{done.pk}:succeeded"' in html


def test_a_queued_request_is_pending_until_a_run_starts(client, bureau_official):
    client_for(client, bureau_official)
    moment = timezone.now().timestamp()
    assert client.get(STATUS, {"queued": f"{moment:.3f}"}).json()["pending"] is True
    assert client.get(STATUS, {"queued": "nonsense"}).json()["pending"] is False
    old = timezone.now() - datetime.timedelta(hours=1)
    assert client.get(STATUS, {"queued": f"{old.timestamp():.3f}"}).json()["pending"] is False
    ComputationRun.objects.create(date=datetime.date(2025, 11, 28), status=RunStatus.SUCCEEDED)
    assert client.get(STATUS, {"queued": f"{moment:.3f}"}).json()["pending"] is False


def test_the_status_endpoint_is_for_bureau_staff_only(client, wangjing_official, director_a, inspector):
    ComputationRun.objects.create(date=datetime.date(2025, 11, 28), error="secret")
    assert client.get(STATUS).status_code == 302  # to the sign-in page
    for user in (wangjing_official, director_a, inspector):
        assert client_for(client, user).get(STATUS).status_code == 403


def test_a_failed_run_is_reported_on_the_runs_list(client, bureau_official, monkeypatch):
    def fail(*, date, user, report=True):
        return ComputationRun.objects.create(date=date, status=RunStatus.FAILED, error="磁盘已满", triggered_by=user)

    monkeypatch.setattr(tasks, "compute_indicators", fail)
    response = client_for(client, bureau_official).post(COMPUTE, follow=True)  # eager: runs in-process
    html = response.content.decode()
    assert "计算失败：磁盘已满" in html and response.request["PATH_INFO"] == RUNS
    assert ComputationRun.objects.get().triggered_by == bureau_official


def test_the_nightly_task_runs_as_the_system(monkeypatch, db):
    seen = []
    monkeypatch.setattr(
        tasks, "compute_indicators", lambda *, date, user: seen.append(user) or ComputationRun.objects.create(date=date)
    )
    tasks.compute_indicators_task("2025-11-28")
    assert seen == [tasks.SYSTEM]
