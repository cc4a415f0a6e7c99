"""Celery tasks of the governance app: thin wrappers around the services of the same name."""

from __future__ import annotations

import datetime

from celery import shared_task

from .services import fee_alerts_scan
from .services.credit import credit_refresh


@shared_task(name="governance.fee_alerts_scan")
def fee_alerts_scan_task(date_iso: str | None = None) -> int:
    """The daily fee scan (beat: 01:30 Asia/Shanghai, before the nightly indicators); returns the alerts raised."""
    day = datetime.date.fromisoformat(date_iso) if date_iso else None
    return fee_alerts_scan(day=day)


@shared_task(name="governance.credit_refresh")
def credit_refresh_task(date_iso: str | None = None) -> int:
    """The daily credit refresh (beat: 01:45 Asia/Shanghai, after the fee scan); returns the events drawn."""
    day = datetime.date.fromisoformat(date_iso) if date_iso else None
    return credit_refresh(day=day)
