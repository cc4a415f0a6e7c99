"""`manage.py escalate_supervision [--date YYYY-MM-DD]`: the daily escalation of supervision orders, run synchronously."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from safety.choices import SupervisionLevel
from safety.services import supervision_escalate


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": value}) from exc


class Command(BaseCommand):
    help = "按生效的督办升级规则，将隐患逾期的重大隐患督办升级（可重复运行，不会重复升级；默认今天，北京时间）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=iso_date, help="按该日期判断逾期天数 YYYY-MM-DD，默认今天（Asia/Shanghai）")

    def handle(self, *args, date: datetime.date | None = None, **options) -> None:
        summary = supervision_escalate(today=date or timezone.localdate())
        if summary.ladder is None:
            self.stderr.write(_("%(date)s 没有生效的督办升级规则，未升级。") % {"date": summary.today.isoformat()})
        self.stdout.write(
            self.style.SUCCESS(
                _("%(date)s 督办升级完成：升级 %(n)s 件，随隐患销号结束 %(closed)s 件。")
                % {"date": summary.today.isoformat(), "n": sum(summary.escalated.values()), "closed": summary.closed}
            )
        )
        for level, count in sorted(summary.escalated.items()):
            self.stdout.write(f"  {SupervisionLevel(level).label}：{count}")
