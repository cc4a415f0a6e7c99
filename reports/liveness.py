"""Whether a computation run recorded as running is still alive — known, not guessed.

A run that is killed (SIGKILL, the OOM killer, a lost machine) cannot record its own end. So
every run, as it starts, records who holds it (`holder_host`, `holder_pid`) and, on PostgreSQL,
takes a session advisory lock keyed on its id (`pg_try_advisory_lock(RUN_LOCK_CLASS, run.pk)`),
held until it ends — through the data transaction and the PDF. The database frees that lock the
moment the run's session ends, however it ends. `reap_dead_runs()` marks failed, with the reason,
every run still "running" whose holder is gone:

- PostgreSQL: its advisory lock is no longer held by any session (`pg_locks`);
- elsewhere (SQLite): its holder ran on this host and that process no longer exists. A holder on
  another host cannot be checked from here; the age limit (`COMPUTATION_STALE_MINUTES`, in
  `reports.services`) stays the last resort for it.

It is called before every computation (so a dead run's marker never blocks the next) and by the
pages that show runs, so a killed run reads failed as soon as its lock is free.
"""

from __future__ import annotations

import os
import socket

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import RunStatus
from .models import ComputationRun

# The first key of the per-run advisory locks (the second is the run's id); distinct from
# services.ADVISORY_LOCK_KEY, which is a single bigint key and so lives in another key space.
RUN_LOCK_CLASS = 0x43595255  # "CYRU"


def _host() -> str:
    return socket.gethostname()[:255]


def _uses_advisory_lock() -> bool:
    return connection.vendor == "postgresql"


def hold(run: ComputationRun) -> None:
    """Records this process as the run's holder and, on PostgreSQL, takes the run's lock."""
    # The lock first: a reaper that sees the holder recorded must also see the lock held.
    if _uses_advisory_lock():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [RUN_LOCK_CLASS, run.pk])
    run.holder_host, run.holder_pid = _host(), os.getpid()
    ComputationRun.objects.filter(pk=run.pk).update(holder_host=run.holder_host, holder_pid=run.holder_pid)


def release(run: ComputationRun) -> None:
    if _uses_advisory_lock() and run.pk is not None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [RUN_LOCK_CLASS, run.pk])


def _held_run_ids(run_ids: list[int]) -> set[int]:
    """The runs among `run_ids` whose advisory lock some session holds (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = %s"
            " AND objsubid = 2 AND objid = ANY(%s)",
            [RUN_LOCK_CLASS, run_ids],
        )
        return {int(objid) for (objid,) in cursor.fetchall()}


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


def is_alive(run: ComputationRun, *, held: set[int] | None = None) -> bool | None:
    """True or False when it can be known, None when it cannot (a holder on another host)."""
    if _uses_advisory_lock():
        return run.pk in (held if held is not None else _held_run_ids([run.pk]))
    if run.holder_pid is None or run.holder_host != _host():
        return None
    if run.holder_pid == os.getpid():
        return True
    return _process_exists(run.holder_pid)


def reap_dead_runs() -> int:
    """Marks failed every running run whose holder is gone; how many."""
    running = list(ComputationRun.objects.filter(status=RunStatus.RUNNING))
    if not running:
        return 0
    held = _held_run_ids([r.pk for r in running]) if _uses_advisory_lock() else None
    dead = [r for r in running if r.holder_pid is not None and is_alive(r, held=held) is False]
    for run in dead:
        reason = (
            _("计算进程（%(host)s，进程号 %(pid)s）已终止，其数据库锁已释放：本次计算视为失败。")
            if _uses_advisory_lock()
            else _("计算进程（%(host)s，进程号 %(pid)s）已不存在：本次计算视为失败。")
        ) % {"host": run.holder_host, "pid": run.holder_pid}
        if run.snapshot_count:
            reason += " " + _("指标数据已在中断前保存。")
        # Only if it is still running: a run that ended meanwhile keeps its own record.
        ComputationRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), lock_token=None, error=reason
        )
    return len(dead)
