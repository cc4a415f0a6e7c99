"""Celery tasks of the reports app: thin wrappers around the services of the same name."""

from __future__ import annotations

import datetime

from celery import shared_task

from accounts.models import User
from accounts.scoping import SYSTEM

from .services import compute_indicators, local_today, render_subdistrict_reports


@shared_task(name="reports.compute_indicators")
def compute_indicators_task(date_iso: str | None = None, user_id: int | None = None) -> dict:
    """The nightly computation (beat: 02:00 Asia/Shanghai); `date_iso` defaults to today there.

    `user_id` is the bureau official whose 「立即计算」 queued it (reports.views.ComputeNowView);
    the nightly job passes none and runs as the system.
    """
    day = datetime.date.fromisoformat(date_iso) if date_iso else local_today()
    user = (User.objects.filter(pk=user_id).first() if user_id else None) or SYSTEM
    run = compute_indicators(date=day, user=user)
    return {"run": run.pk, "date": day.isoformat(), "status": run.status, "error": run.error}


@shared_task(name="reports.render_subdistrict_reports")
def render_subdistrict_reports_task(run_id: int) -> dict:
    """Every sub-district's PDF for a successful run's date (queued by the run itself)."""
    return {"run": run_id, "rendered": render_subdistrict_reports(run_id)}
