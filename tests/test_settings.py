"""Settings read from the environment: production hardening, refusing to start without a secret,
the embedded defaults (SQLite, in-process Celery) and the district's time zone.

Start-up behaviour is tested in subprocesses with a clean environment, since this process's
settings are already loaded (and may point at PostgreSQL).
"""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

BASE_DIR = settings.BASE_DIR
HTTPS_WARNINGS = {"security.W004", "security.W008", "security.W012", "security.W016"}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Runs a Python command in the project with only PATH and `env` in its environment."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=clean, capture_output=True, text=True, timeout=180, check=False
    )


def production_env(**overrides: str) -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),  # 67 random URL-safe characters
        "ALLOWED_HOSTS": "portal.chaoyang.example.cn",
        "HTTPS": "1",  # production sits behind HTTPS (see the settings' hardening section)
        **overrides,
    }


def dotenv_sets(name: str) -> bool:
    path = BASE_DIR / ".env"
    return path.exists() and any(line.strip().startswith(f"{name}=") for line in path.read_text().splitlines())


def settings_value(expression: str, **env: str):
    """`expression` evaluated against the settings a fresh process loads from `env`, as JSON."""
    code = (
        "import json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'chaoyang_preschool.settings');"
        "from django.conf import settings;"
        f"print(json.dumps({expression}))"
    )
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_passes_the_deployment_checklist_with_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_leaves_only_the_https_checks_when_https_is_off():
    # Without HTTPS=1 (the embedded set-up over plain http) the transport settings stay off, and
    # those are the only complaints of the deployment checklist.
    result = run(["manage.py", "check", "--deploy"], **production_env(HTTPS="0"))
    reported = {word.strip("()") for word in result.stderr.split() if word.startswith("(security.")}
    assert reported == HTTPS_WARNINGS, result.stderr


def test_the_web_server_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run(["-c", "import chaoyang_preschool.wsgi"], **production_env(SECRET_KEY=""))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_celery_refuses_to_start_without_a_secret_key_when_debug_is_off():
    code = "from celery.signals import worker_init; import chaoyang_preschool; worker_init.send(sender=None)"
    result = run(["-c", code], **production_env(SECRET_KEY=""))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_the_deployment_checklist_fails_without_a_secret_key():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_env(SECRET_KEY=""))
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_model_only_commands_run_on_a_bare_checkout():
    # No .env, no SECRET_KEY, DEBUG off: checking the migrations needs no secret.
    result = run(["manage.py", "makemigrations", "--check", "--dry-run"], **production_env(SECRET_KEY=""))
    assert result.returncode == 0, result.stderr


def test_it_starts_without_a_secret_key_in_debug_mode():
    result = run(["manage.py", "check"], DEBUG="1", SECRET_KEY="")
    assert result.returncode == 0, result.stderr


def test_it_refuses_a_malformed_number():
    result = run(["manage.py", "check"], **production_env(SESSION_COOKIE_AGE="eight hours"))
    assert result.returncode != 0
    assert "eight hours" in result.stderr


def test_it_uses_sqlite_by_default():
    if dotenv_sets("DATABASE_URL"):
        pytest.skip("a .env file beside manage.py sets DATABASE_URL")
    engine, name = settings_value(
        "[settings.DATABASES['default']['ENGINE'], str(settings.DATABASES['default']['NAME'])]", DEBUG="1"
    )
    assert engine == "django.db.backends.sqlite3"
    assert name == str(BASE_DIR / "db.sqlite3")


def test_it_reads_the_database_from_database_url():
    engine, name = settings_value(
        "[settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']]",
        DEBUG="1",
        DATABASE_URL="postgres://portal@db.example.cn:5432/portal",
    )
    assert engine == "django.db.backends.postgresql"
    assert name == "portal"


def test_it_keeps_time_in_beijing():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
    assert settings.CELERY_ENABLE_UTC is False


def test_it_runs_celery_tasks_in_process_without_a_broker():
    # A task defined on the project's app, called with .delay(), runs at once in the calling
    # process and hands back its result: no worker and no broker involved.
    code = """
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chaoyang_preschool.settings")
import django
django.setup()
from chaoyang_preschool.celery import app

@app.task
def where(x):
    return [os.getpid(), x * 2]

result = where.delay(21)
print(json.dumps({"eager": app.conf.task_always_eager, "pid": os.getpid(), "result": result.get(timeout=5)}))
"""
    result = run(["-c", code], DEBUG="1")
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["eager"] is True
    assert outcome["result"] == [outcome["pid"], 42]


def test_it_queues_celery_tasks_when_a_broker_is_configured():
    eager, broker = settings_value(
        "[settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL]",
        DEBUG="1",
        REDIS_URL="redis://redis.example.cn:6379/0",
    )
    assert eager is False
    assert broker == "redis://redis.example.cn:6379/0"


def test_it_hardens_sessions_and_cookies_by_default():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.X_FRAME_OPTIONS == "DENY"
    https = settings_value(
        "[settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,"
        " settings.SECURE_HSTS_SECONDS]",
        **production_env(),
    )
    assert https == [True, True, True, 31536000]
