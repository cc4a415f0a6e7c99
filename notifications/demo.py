"""Demo data: today's reminders for the demo records, so the bell has something to show.

Runs the real daily job (`send_reminders`), which is idempotent like every seeder: a second
run adds only reminders that are new. Demo users have no email address, so nothing is mailed.
"""

from __future__ import annotations

import random

from .services import send_reminders


def seed(rng: random.Random) -> str:
    summary = send_reminders()
    return f"今日提醒：新增站内消息 {summary.created_total} 条，发送邮件 {summary.emailed} 封"
