"""Celery tasks of the safety app: thin wrappers around the services of the same name."""

from __future__ import annotations

import datetime

from celery import shared_task

from .services import supervision_escalate


@shared_task(name="safety.escalate_supervision")
def escalate_supervision_task(date_iso: str | None = None) -> dict:
    """The daily escalation of supervision orders (beat: 06:30 Asia/Shanghai); `date_iso` defaults to today there."""
    today = datetime.date.fromisoformat(date_iso) if date_iso else None
    return supervision_escalate(today=today).as_dict()
