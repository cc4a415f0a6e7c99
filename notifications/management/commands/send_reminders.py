"""`manage.py send_reminders [--date YYYY-MM-DD]`: the daily reminders, run synchronously."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.choices import NotificationKind
from notifications.services import send_reminders


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": value}) from exc


class Command(BaseCommand):
    help = "生成当日的到期与逾期提醒（站内消息和邮件），同一提醒不会重复发送（默认今天，北京时间）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=iso_date, help="按该日期判断到期与逾期 YYYY-MM-DD，默认今天（Asia/Shanghai）"
        )

    def handle(self, *args, date: datetime.date | None = None, **options) -> None:
        summary = send_reminders(today=date or timezone.localdate())
        self.stdout.write(
            self.style.SUCCESS(
                _("%(date)s 提醒完成：新增站内消息 %(created)s 条，发送邮件 %(emailed)s 封。")
                % {"date": summary.today.isoformat(), "created": summary.created_total, "emailed": summary.emailed}
            )
        )
        for kind, count in sorted(summary.created.items()):
            self.stdout.write(f"  {NotificationKind(kind).label}：{count}")
        if summary.email_failed:
            self.stderr.write(_("%(n)s 封邮件发送失败，将在下次运行时重试。") % {"n": summary.email_failed})
