"""The ways reminders are started: `manage.py send_reminders`, the Celery task, the beat schedule;
and the mail settings they use."""

from __future__ import annotations

import copy
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from chaoyang_preschool.celery import app as celery_app
from notifications.models import Notification
from notifications.tasks import send_reminders_task
from tests.test_settings import settings_value

from .conftest import TODAY, assigned, days

SHANGHAI = ZoneInfo("Asia/Shanghai")


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestCommand:
    def test_it_sends_the_reminders_of_the_given_date(self, evaluation_cycle, kg_a, mailed_personas):
        assigned(evaluation_cycle, kg_a, due=days(20))
        # 20 days ahead nothing is due; seen from 10 days later it is due in 10 days.
        assert "新增站内消息 0 条" in run_command("--date", TODAY.isoformat())
        output = run_command("--date", days(10).isoformat())
        assert "新增站内消息 1 条，发送邮件 1 封" in output and "自评即将截止：1" in output
        assert Notification.objects.get().recipient == mailed_personas["director_a"]
        assert len(mail.outbox) == 1

    def test_it_refuses_a_bad_date(self):
        with pytest.raises(CommandError, match="YYYY-MM-DD"):
            run_command("--date", "2025/10/01")


@pytest.mark.django_db
def test_it_runs_the_celery_task_eagerly(evaluation_cycle, kg_a, mailed_personas, monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    assigned(evaluation_cycle, kg_a, due=days(-1))
    result = send_reminders_task.delay(TODAY.isoformat()).get()
    assert result == {
        "date": TODAY.isoformat(),
        "created": 2,
        "by_kind": {"self_assessment_overdue": 2},
        "emailed": 2,
        "email_failed": 0,
    }
    assert send_reminders_task.delay().get()["created"] == 0  # today, by default: nothing new


def test_it_is_registered_and_scheduled_daily_at_seven_shanghai_time():
    celery_app.loader.import_default_modules()  # what the worker and beat do at start-up
    assert "notifications.send_reminders" in celery_app.tasks
    entry = celery_app.conf.beat_schedule["send-reminders-daily"]
    assert entry["task"] == send_reminders_task.name == "notifications.send_reminders"
    schedule = copy.copy(entry["schedule"])
    schedule.app = celery_app
    assert (schedule.hour, schedule.minute) == ({7}, {0})
    last_run = datetime.datetime(2025, 9, 29, 7, 0, tzinfo=SHANGHAI)
    # 22:59 UTC is 06:59 in Beijing: not yet; 23:00 UTC is 07:00 in Beijing: due.
    schedule.nowfun = lambda: datetime.datetime(2025, 9, 29, 22, 59, tzinfo=datetime.UTC)
    assert not schedule.is_due(last_run).is_due
    schedule.nowfun = lambda: datetime.datetime(2025, 9, 29, 23, 0, tzinfo=datetime.UTC)
    assert schedule.is_due(last_run).is_due


class TestMailSettings:
    def test_the_console_backend_is_the_default(self):
        assert settings_value("settings.EMAIL_BACKEND", DEBUG="1") == "django.core.mail.backends.console.EmailBackend"

    def test_separate_values_configure_smtp(self):
        env = {
            "DEBUG": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "smtp.example.gov.cn",
            "EMAIL_PORT": "587",
            "EMAIL_USE_TLS": "1",
        }
        expression = "[settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS]"
        assert settings_value(expression, **env) == [
            "django.core.mail.backends.smtp.EmailBackend",
            "smtp.example.gov.cn",
            587,
            True,
        ]

    def test_one_email_url_configures_smtp(self):
        expression = (
            "[settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER,"
            " settings.EMAIL_HOST_PASSWORD, settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL]"
        )
        value = settings_value(
            expression, DEBUG="1", EMAIL_URL="smtp+ssl://portal%40example.gov.cn:s3cret@smtp.example.gov.cn:465"
        )
        assert value == [
            "django.core.mail.backends.smtp.EmailBackend",
            "smtp.example.gov.cn",
            465,
            "portal@example.gov.cn",
            "s3cret",
            False,
            True,
        ]
