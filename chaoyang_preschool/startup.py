"""What the long-running processes check before they start: the web server and Celery.

Settings load without a SECRET_KEY when DEBUG is off, so that commands which only read the
models (`makemigrations --check`, `migrate`, `compilemessages`) run on a bare checkout; the
processes that sign cookies, tokens and links refuse to start instead. The web server also
freezes its start-up objects out of the garbage collector's full passes (`freeze_start_up_objects`).
"""

import gc

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import get_resolver


def require_secret_key() -> None:
    try:
        configured = bool(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django refuses an empty key on first use
        configured = False
    if not configured:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")


def require_id_number_key() -> None:
    """Production keeps staff ID numbers under a key of its own, never one derived from SECRET_KEY."""
    if not settings.DEBUG and not settings.ID_NUMBER_KEY_FROM_ENV:
        raise ImproperlyConfigured("ID_NUMBER_KEY must be set when DEBUG is off.")


def freeze_start_up_objects() -> None:
    """Load the URLconf (every view module) and move what start-up allocated out of the garbage
    collector's reach: those objects live as long as the process, yet each full collection
    scanned them all, and a worker's first dashboard request paid 0.3–1.1 s of full collections
    (docs/benchmarks.md, "District dashboard panels, second pass")."""
    get_resolver().url_patterns  # noqa: B018 — imported now, not on the first request
    gc.collect()
    gc.freeze()
