"""Celery tasks of the notifications app: thin wrappers around the services of the same name."""

from __future__ import annotations

import datetime

from celery import shared_task

from .services import send_reminders


@shared_task(name="notifications.send_reminders")
def send_reminders_task(date_iso: str | None = None) -> dict:
    """The daily reminders (beat: 07:00 Asia/Shanghai); `date_iso` defaults to today there."""
    today = datetime.date.fromisoformat(date_iso) if date_iso else None
    return send_reminders(today=today).as_dict()
