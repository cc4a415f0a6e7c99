"""Writes of the reports app: the computation of a date's indicators, forecast and warnings.

``compute_indicators(date=...)`` is the one way those rows are written (the nightly Celery task and
``manage.py compute_indicators`` both call it):

1. A ``ComputationRun`` row is recorded first, outside the data transaction, so a failed run stays
   on record with its error even though its data was rolled back.
2. Lock. Two runs must not both write. On PostgreSQL the data transaction starts with
   ``pg_try_advisory_xact_lock(ADVISORY_LOCK_KEY)``: it never waits, and the database releases it at
   commit, rollback or a dropped connection. Databases without advisory locks (SQLite, the embedded
   default) use a marker instead: the running run holds ``lock_token = "compute_indicators"``, a
   unique column, so a second run's insert fails at once. Its release is in a ``finally``; a run
   that died without releasing it is expired after ``settings.COMPUTATION_STALE_MINUTES``. A run
   that finds the lock taken is recorded as skipped with the reason, and writes nothing.
3. In ONE transaction: compute the forecast, every indicator for every scope and the warnings,
   delete that date's snapshots, forecasts and warnings, and write the new ones (snapshots and
   forecast rows by ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere: ``reports.row_writer``; the
   indicator values are built while they are written, after the engine's queries), then the
   school year's draft scorecards (``reports.scorecards``: scored from the values as they are
   written, when the date is the year's statistical date). The warnings read the classes table the
   indicator sources filled (one set of temporary tables for both).
   Running twice for a date therefore gives the same rows, and a failure part-way leaves the
   previous rows of that date untouched.
4. After the commit, the district PDF is rendered by ``reports.pdf.render_report_file`` when that
   module is installed, and its path stored on the run. A failure there marks the run failed (the
   figures stay committed; the error says so). After a successful run, every sub-district's PDF is
   rendered by a task of its own (``queue_subdistrict_reports``).

Call it outside any open transaction (as the task and the command do): inside one, "after the
commit" and "recorded even though rolled back" would depend on the caller's transaction.
"""

from __future__ import annotations

import datetime
import logging
from datetime import timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import SYSTEM, SystemScope
from common.gc import gc_paused
from common.pg import bulk_query_settings
from common.temp_tables import temp_tables
from enrollment.forecast import forecast_seats
from kindergartens.models import Subdistrict

from .choices import RunStatus
from .early_warnings import build_warnings
from .follow_up_services import reopen_raised
from .indicators import stream_indicators_for
from .liveness import hold, reap_dead_runs, release
from .models import ComputationRun, EarlyWarning, IndicatorSnapshot, SeatForecast
from .pdf import committed_runs, render_report_file
from .row_writer import write_forecast, write_snapshots
from .scorecards import CardScorer, compute_scorecards, school_year_of
from .standings import write_standings

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

LOCK_NAME = "compute_indicators"
# Identifies this job's PostgreSQL advisory lock; any constant other code does not use.
ADVISORY_LOCK_KEY = 0x43595F494E44  # "CY_IND"
BATCH_SIZE = 2000


class ComputationLocked(Exception):
    """Another computation holds the lock."""


def local_today() -> datetime.date:
    """Today in the portal's time zone (Asia/Shanghai), whatever time zone is active."""
    return timezone.localdate(timezone=ZoneInfo(settings.TIME_ZONE))


def uses_advisory_lock() -> bool:
    return connection.vendor == "postgresql"


def _locked_message() -> str:
    return _("另一次指标计算正在进行，本次未写入任何数据。")


def _expire_stale_runs() -> None:
    """Runs still 'running' long after they started died without cleaning up: free their lock.
    Runs whose holder is known to be gone are failed at once (reports.liveness)."""
    reap_dead_runs()
    cutoff = timezone.now() - timedelta(minutes=settings.COMPUTATION_STALE_MINUTES)
    ComputationRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=cutoff).update(
        status=RunStatus.FAILED,
        finished_at=timezone.now(),
        lock_token=None,
        error=_("超过 %(minutes)s 分钟仍未结束，视为中断。") % {"minutes": settings.COMPUTATION_STALE_MINUTES},
    )


def _start_run(day: datetime.date, user: User | SystemScope) -> ComputationRun:
    # SYSTEM (the nightly job) is nobody: only a person who pressed "compute now" is recorded.
    fields = {"date": day, "triggered_by": user if user.pk is not None and user.is_authenticated else None}
    if uses_advisory_lock():
        return ComputationRun.objects.create(**fields)
    try:
        with transaction.atomic():
            return ComputationRun.objects.create(**fields, lock_token=LOCK_NAME)
    except IntegrityError:
        return ComputationRun.objects.create(
            **fields, status=RunStatus.SKIPPED, finished_at=timezone.now(), error=_locked_message()
        )


def _take_advisory_lock() -> None:
    """Inside the data transaction on PostgreSQL: take the job's lock or give up at once."""
    if not uses_advisory_lock():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        (acquired,) = cursor.fetchone()
    if not acquired:
        raise ComputationLocked(_locked_message())


def replace_results(day: datetime.date) -> tuple[int, int]:
    """Compute and replace `day`'s snapshots, forecasts and warnings, and its school year's draft
    scorecards. Run inside a transaction."""
    # A million short-lived objects at national scale (gc_paused); JIT compiling the wide GROUP BYs
    # cost more than running them, and a hashed subplan needs work_mem (bulk_query_settings).
    # One set of temporary tables for the indicators and the warnings: both read each kindergarten's
    # classes of the year (enrollment.day_figures), summed once.
    with gc_paused(), bulk_query_settings(), temp_tables() as tables:
        forecast = forecast_seats(day)
        values = stream_indicators_for(day, forecast=forecast, tables=tables)  # the queries now, values as written
        warnings = build_warnings(day, forecast, tables)
        IndicatorSnapshot.objects.filter(date=day).delete()
        SeatForecast.objects.filter(date=day).delete()
        EarlyWarning.objects.filter(date=day).delete()
        # The cards are scored from the values as they are written (reports.scorecards.CardScorer).
        cards = CardScorer.for_day(day)
        # COPY on PostgreSQL, bulk_create elsewhere (reports.row_writer).
        snapshot_count = write_snapshots(day, values if cards is None else cards.tap(values))
        write_standings(day)  # the dashboard's ranking, derived from them (reports.standings)
        write_forecast(day, forecast)
        EarlyWarning.objects.bulk_create(warnings, batch_size=BATCH_SIZE)
        reopen_raised(day, warnings)
        compute_scorecards(year=school_year_of(day), scored=cards)  # the year's draft cards follow its snapshots
    return snapshot_count, len(warnings)


def render_district_report(day: datetime.date) -> str:
    """The district PDF for `day`; its path."""
    return str(render_report_file(date=day, subdistrict=None))


def subdistrict_reports_queued() -> bool:
    """Whether a successful run queues its sub-district PDFs (a broker; not in-process)."""
    from .tasks import render_subdistrict_reports_task  # the tasks import this module

    return not render_subdistrict_reports_task.app.conf.task_always_eager


def queue_subdistrict_reports(run: ComputationRun) -> None:
    """After a successful run: every sub-district's PDF, in a task of its own on the worker
    (`reports.tasks`), so the run and its lock end before ~300 renders. In-process (no broker: the
    embedded default, the tests) the caller would wait for all of them: none is queued there, and
    downloads render on request (`manage.py compute_indicators --subdistrict-reports` renders them)."""
    from .tasks import render_subdistrict_reports_task  # the tasks import this module

    if not subdistrict_reports_queued():
        return
    try:
        render_subdistrict_reports_task.delay(run.pk)
    except Exception:  # the figures are saved: downloads render on request
        logger.exception("Sub-district reports for run %s were not queued", run.pk)


def render_subdistrict_reports(run_id: int) -> int:
    """Renders and keeps each sub-district's PDF for the run's date (the view serves it while the
    run is the date's latest with figures); stops when a later run has replaced them. The count."""
    run = ComputationRun.objects.get(pk=run_id)
    rendered = 0
    for subdistrict in Subdistrict.objects.order_by("code"):
        if committed_runs(run.date).values_list("pk", flat=True).first() != run.pk:
            break  # the later run's own task renders them
        try:
            render_report_file(date=run.date, subdistrict=subdistrict)
            rendered += 1
        except Exception:  # one sub-district's failure leaves the others' files: its download renders
            logger.exception("The report of %s for %s was not rendered", subdistrict.code, run.date)
    return rendered


def compute_indicators(
    *, date: datetime.date, user: User | SystemScope = SYSTEM, report: bool = True
) -> ComputationRun:
    """Compute and store every indicator, the seat forecast and the warnings for `date` (see module doc).

    `user` is who asked: a bureau official's "compute now", or `SYSTEM` for the nightly job and the
    command. The figures are the whole district's either way.
    """
    day = date
    _expire_stale_runs()
    run = _start_run(day, user)
    if run.status == RunStatus.SKIPPED:
        logger.warning("Computation for %s skipped: another run holds the lock", day)
        return run
    hold(run)
    committed = False
    try:
        with transaction.atomic():
            _take_advisory_lock()
            run.snapshot_count, run.warning_count = replace_results(day)
        committed = True
        # On record at once: a run killed during the PDF still shows that its figures were saved.
        ComputationRun.objects.filter(pk=run.pk).update(
            snapshot_count=run.snapshot_count, warning_count=run.warning_count
        )
        # report=False: the annual backfill (reports.annual) of past dates renders no PDF.
        run.report_file = render_district_report(day) if report else ""
        run.status = RunStatus.SUCCEEDED
    except ComputationLocked as exc:
        run.status = RunStatus.SKIPPED
        run.error = str(exc)
        run.snapshot_count = run.warning_count = 0
    except Exception as exc:
        logger.exception("Computation for %s failed", day)
        run.status = RunStatus.FAILED
        reason = f"{type(exc).__name__}: {exc}"
        run.error = _("指标已保存，但报告生成失败：%(reason)s") % {"reason": reason} if committed else reason
        if not committed:
            run.snapshot_count = run.warning_count = 0
    finally:
        if run.status == RunStatus.RUNNING:  # interrupted by something that is not an Exception
            run.status = RunStatus.FAILED
            run.error = _("计算被中断。")
        run.finished_at = timezone.now()
        try:
            run.lock_token = None
            run.save(
                update_fields=[
                    "status",
                    "error",
                    "finished_at",
                    "lock_token",
                    "snapshot_count",
                    "warning_count",
                    "report_file",
                ]
            )
        finally:
            release(run)  # even when the save fails: a lock left behind would keep the run alive
    if report and run.status == RunStatus.SUCCEEDED:
        queue_subdistrict_reports(run)
    return run
