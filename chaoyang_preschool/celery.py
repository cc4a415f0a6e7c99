"""The Celery app. Without a broker configured, tasks run in-process (see settings)."""

import os

from celery import Celery
from celery.signals import beat_init, worker_init
from django.core.exceptions import ImproperlyConfigured

from .startup import require_id_number_key, require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chaoyang_preschool.settings")

app = Celery("chaoyang_preschool")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def refuse_without_secret_key(**kwargs) -> None:
    try:
        require_secret_key()
        require_id_number_key()
    except ImproperlyConfigured as refused:
        # Celery logs and swallows a receiver's exceptions; SystemExit gets through and stops it.
        raise SystemExit(f"celery: {refused}") from refused
