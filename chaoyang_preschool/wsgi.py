"""WSGI entry point (gunicorn chaoyang_preschool.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chaoyang_preschool.settings")
application = get_wsgi_application()
