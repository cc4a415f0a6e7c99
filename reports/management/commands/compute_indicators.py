"""`manage.py compute_indicators [--date YYYY-MM-DD] [--subdistrict-reports] [--backfill [--missing-only]]`:
the nightly computation, run synchronously (``--subdistrict-reports``: then every sub-district's PDF,
as the worker's task does after the nightly run); ``--backfill`` computes the annual figures of every school year with
data on its statistical date (`reports.annual`) instead."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from accounts.scoping import SYSTEM
from reports import registry
from reports.annual import backfill
from reports.choices import RunStatus, ScopeType
from reports.indicators import format_indicator_value
from reports.models import IndicatorSnapshot
from reports.services import compute_indicators, local_today, render_subdistrict_reports, subdistrict_reports_queued


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": value}) from exc


def describe(snapshot: IndicatorSnapshot) -> str:
    """'95.0%（1,900 / 2,000），目标 90.0%，达标' for one snapshot."""
    value = format_indicator_value(snapshot.indicator, snapshot.value)
    denominator = "—" if snapshot.denominator is None else f"{snapshot.denominator:,.0f}"
    text = f"{value}（{snapshot.numerator:,.0f} / {denominator}）"
    if snapshot.target is not None:
        verdict = {True: _("达标"), False: _("未达标"), None: _("无法判断")}[snapshot.met]
        target = format_indicator_value(snapshot.indicator, snapshot.target)
        text += _("，目标 %(target)s，%(verdict)s") % {"target": target, "verdict": verdict}
    return text


class Command(BaseCommand):
    help = "计算某日的全部指标、学位需求预测和资源预警，保存快照并生成全区报告（默认今天，北京时间）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=iso_date, help="统计日期 YYYY-MM-DD，默认今天（Asia/Shanghai）")
        parser.add_argument(
            "--backfill",
            action="store_true",
            help="计算每个有数据的学年在其年度统计日期的指标（年度序列），不生成报告",
        )
        parser.add_argument("--missing-only", action="store_true", help="与 --backfill 同用：只计算尚无快照的统计日期")
        parser.add_argument(
            "--subdistrict-reports",
            action="store_true",
            help="计算成功后在本进程内生成各街道/地区的报告（没有 Celery worker 时使用）",
        )

    def handle(self, *args, date: datetime.date | None = None, **options) -> None:
        if options.get("backfill"):
            self._backfill(missing_only=options.get("missing_only", False))
            return
        day = date or local_today()
        run = compute_indicators(date=day, user=SYSTEM)
        if run.status == RunStatus.SKIPPED:
            raise CommandError(_("%(date)s 未计算：%(error)s") % {"date": day.isoformat(), "error": run.error})
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(_("%(date)s 计算失败：%(error)s") % {"date": day.isoformat(), "error": run.error})

        self.stdout.write(
            self.style.SUCCESS(
                _("%(date)s 计算完成：指标快照 %(snapshots)s 条，资源预警 %(warnings)s 条。")
                % {"date": day.isoformat(), "snapshots": run.snapshot_count, "warnings": run.warning_count}
            )
        )
        headline = registry.headline_codes()
        district = {
            snapshot.indicator: snapshot
            for snapshot in IndicatorSnapshot.objects.filter(
                date=day, scope_type=ScopeType.DISTRICT, indicator__in=headline
            )
        }
        for code in headline:
            if code in district:
                self.stdout.write(f"  {_('全区')}{registry.label(code)}：{describe(district[code])}")
        if run.report_file:
            self.stdout.write(_("  报告文件：%(path)s") % {"path": run.report_file})
        if options.get("subdistrict_reports") and subdistrict_reports_queued():
            self.stdout.write(_("  各街道/地区的报告已交由后台任务生成。"))
        elif options.get("subdistrict_reports"):
            rendered = render_subdistrict_reports(run.pk)
            self.stdout.write(_("  已生成 %(n)s 个街道/地区的报告。") % {"n": rendered})

    def _backfill(self, *, missing_only: bool) -> None:
        runs = backfill(today=local_today(), missing_only=missing_only)
        for run in runs:
            if run.status != RunStatus.SUCCEEDED:
                raise CommandError(
                    _("%(date)s 计算失败：%(error)s") % {"date": run.date.isoformat(), "error": run.error}
                )
            self.stdout.write(
                _("  %(date)s 年度指标：快照 %(snapshots)s 条")
                % {"date": run.date.isoformat(), "snapshots": run.snapshot_count}
            )
        self.stdout.write(self.style.SUCCESS(_("年度指标补算完成：%(count)s 个统计日期。") % {"count": len(runs)}))
