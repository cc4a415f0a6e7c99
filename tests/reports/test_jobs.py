"""The ways the computation is started: `manage.py compute_indicators`, the Celery task, the beat schedule."""

from __future__ import annotations

import copy
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from chaoyang_preschool.celery import app as celery_app
from reports import services
from reports.choices import RunStatus
from reports.models import ComputationRun, IndicatorSnapshot
from reports.tasks import compute_indicators_task

from .conftest import DAY

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.usefixtures("fake_report")


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("compute_indicators", *args, stdout=out)
    return out.getvalue()


def test_it_prints_a_summary_with_the_three_district_figures(district):
    output = run_command("--date", "2025-10-01")
    run = ComputationRun.objects.get()
    assert f"2025-10-01 计算完成：指标快照 {run.snapshot_count} 条，资源预警 {run.warning_count} 条。" in output
    # 131 / 300 = 43.66 %: shares are cut, not rounded, everywhere they are printed.
    assert "全区学前三年毛入园率：43.6%（131 / 300），目标 90.0%，未达标" in output
    assert "全区普惠性幼儿园覆盖率：80.9%（106 / 131），目标 90.0%，未达标" in output
    assert "全区公办园在园幼儿占比：65.6%（86 / 131），目标 50.0%，达标" in output
    assert "报告文件：" in output


def test_it_defaults_to_today_in_shanghai(district, monkeypatch):
    from reports.management.commands import compute_indicators as command

    monkeypatch.setattr(command, "local_today", lambda: DAY)
    run_command()
    assert IndicatorSnapshot.objects.filter(date=DAY).exists()


def test_it_computes_today_in_shanghai_not_utc(monkeypatch):
    # 20:00 UTC on 30 September is already 1 October in Beijing.
    monkeypatch.setattr(services.timezone, "now", lambda: datetime.datetime(2025, 9, 30, 20, 0, tzinfo=datetime.UTC))
    assert services.local_today() == datetime.date(2025, 10, 1)


def test_it_exits_non_zero_when_the_run_fails(district, monkeypatch):
    def fail(day):
        raise RuntimeError("数据库不可用")

    monkeypatch.setattr(services, "replace_results", fail)
    with pytest.raises(CommandError, match="2025-10-01 计算失败：RuntimeError: 数据库不可用"):
        run_command("--date", "2025-10-01")
    assert ComputationRun.objects.get().status == RunStatus.FAILED


def test_it_exits_non_zero_when_another_run_holds_the_lock(district, monkeypatch):
    monkeypatch.setattr(services, "uses_advisory_lock", lambda: False)
    ComputationRun.objects.create(date=DAY, lock_token=services.LOCK_NAME)
    with pytest.raises(CommandError, match="未计算：另一次指标计算正在进行"):
        run_command("--date", "2025-10-01")


def test_it_rejects_a_malformed_date(db):
    with pytest.raises(CommandError, match="日期格式应为 YYYY-MM-DD"):
        run_command("--date", "2025/10/01")


def test_it_runs_the_celery_task_eagerly(district, monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    result = compute_indicators_task.delay("2025-10-01").get()
    run = ComputationRun.objects.get()
    assert result == {"run": run.pk, "date": "2025-10-01", "status": RunStatus.SUCCEEDED, "error": ""}
    assert IndicatorSnapshot.objects.filter(date=DAY).count() == run.snapshot_count


def test_it_schedules_the_task_at_two_in_the_morning_shanghai_time():
    entry = celery_app.conf.beat_schedule["compute-indicators-nightly"]
    assert entry["task"] == compute_indicators_task.name
    assert (celery_app.conf.timezone, celery_app.conf.enable_utc) == ("Asia/Shanghai", False)
    schedule = copy.copy(entry["schedule"])
    schedule.app = celery_app
    assert (schedule.hour, schedule.minute) == ({2}, {0})
    last_run = datetime.datetime(2025, 9, 30, 2, 0, tzinfo=SHANGHAI)
    # 17:59 UTC is 01:59 in Beijing: not yet; 18:00 UTC is 02:00 in Beijing: due.
    schedule.nowfun = lambda: datetime.datetime(2025, 9, 30, 17, 59, tzinfo=datetime.UTC)
    assert not schedule.is_due(last_run).is_due
    schedule.nowfun = lambda: datetime.datetime(2025, 9, 30, 18, 0, tzinfo=datetime.UTC)
    assert schedule.is_due(last_run).is_due
