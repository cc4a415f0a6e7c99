"""A run killed with SIGKILL reads failed as soon as its lock is free, with the reason.

Real processes are killed: on PostgreSQL a subprocess starts a run on the test database (its
session takes the run's advisory lock) and is killed; everywhere, a process recorded as a run's
holder is killed and the run reads failed at once. Nothing here waits on time: the waits are for a
condition, with a generous bound that only a broken machine would reach.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from reports import liveness, services
from reports.choices import RunStatus
from reports.models import ComputationRun

from ..conftest import client_for
from .conftest import DAY

ROOT = Path(settings.BASE_DIR)


def wait_for(condition, *, bound: float = 60.0) -> bool:
    """Polls `condition` until it holds; False only if `bound` seconds pass first."""
    end = time.monotonic() + bound
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def killed_process() -> int:
    """The pid of a real process that was started, then killed with SIGKILL and reaped."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    process.send_signal(signal.SIGKILL)
    process.wait()
    return process.pid


@pytest.mark.django_db
class TestHolderProcess:
    def test_a_run_whose_process_was_killed_reads_failed_with_the_reason(self, client, bureau_official):
        if connection.vendor == "postgresql":
            pytest.skip("PostgreSQL decides by the advisory lock (below)")
        run = ComputationRun.objects.create(date=DAY, lock_token=services.LOCK_NAME)
        ComputationRun.objects.filter(pk=run.pk).update(holder_host=liveness._host(), holder_pid=killed_process())

        response = client_for(client, bureau_official).get(reverse("reports:run_list"))
        assert response.status_code == 200
        run.refresh_from_db()
        assert (run.status, run.lock_token) == (RunStatus.FAILED, None)
        assert "已不存在" in run.error and str(run.holder_pid) in run.error
        assert run.finished_at is not None

    def test_the_next_computation_is_not_blocked_by_a_killed_run(self, fake_report, district):
        run = ComputationRun.objects.create(date=DAY, lock_token=services.LOCK_NAME)
        ComputationRun.objects.filter(pk=run.pk).update(holder_host=liveness._host(), holder_pid=killed_process())
        if connection.vendor == "postgresql":
            pytest.skip("the marker is SQLite's lock")

        assert services.compute_indicators(date=DAY).status == RunStatus.SUCCEEDED
        run.refresh_from_db()
        assert run.status == RunStatus.FAILED

    def test_a_living_holder_or_one_on_another_host_is_left_running(self):
        mine = ComputationRun.objects.create(date=DAY, holder_host=liveness._host(), holder_pid=os.getpid())
        elsewhere = ComputationRun.objects.create(date=DAY, holder_host="other-host", holder_pid=killed_process())
        unknown = ComputationRun.objects.create(date=DAY)  # an older run without a holder
        if connection.vendor != "postgresql":
            assert liveness.reap_dead_runs() == 0
            for run in (mine, elsewhere, unknown):
                run.refresh_from_db()
                assert run.status == RunStatus.RUNNING

    def test_a_finished_run_records_its_holder(self, fake_report, district):
        run = services.compute_indicators(date=DAY)
        assert (run.status, run.holder_host, run.holder_pid) == (RunStatus.SUCCEEDED, liveness._host(), os.getpid())


HOLDER_SCRIPT = textwrap.dedent(
    """
    import os, sys, time, datetime
    sys.path.insert(0, os.getcwd())
    os.environ["DJANGO_SETTINGS_MODULE"] = "chaoyang_preschool.settings"
    import django
    django.setup()
    from accounts.scoping import SYSTEM
    from reports import liveness, services
    run = services._start_run(datetime.date(2025, 10, 1), SYSTEM)
    liveness.hold(run)
    print(run.pk, flush=True)
    time.sleep(600)
    """
)


@pytest.mark.django_db(transaction=True)
def test_a_sigkilled_run_on_postgresql_reads_failed_once_its_lock_is_free():
    if connection.vendor != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's")
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER_SCRIPT], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        run_id = int(process.stdout.readline())
        run = ComputationRun.objects.get(pk=run_id)
        assert liveness.is_alive(run) is True
        assert liveness.reap_dead_runs() == 0  # alive: left running

        process.send_signal(signal.SIGKILL)
        process.wait()
        assert wait_for(lambda: liveness.is_alive(run) is False), "the database never freed the run's lock"

        assert liveness.reap_dead_runs() == 1
        run.refresh_from_db()
        assert run.status == RunStatus.FAILED
        assert "数据库锁已释放" in run.error and str(process.pid) in run.error
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
