"""What the long-running processes check before they start: the web server and Celery.

Settings load without a SECRET_KEY when DEBUG is off, so that commands which only read the
models (`makemigrations --check`, `migrate`, `compilemessages`) run on a bare checkout; the
processes that sign cookies, tokens and links refuse to start instead.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


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
