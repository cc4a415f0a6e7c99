"""WSGI entry point (gunicorn chaoyang_preschool.wsgi); `runserver` serves through it too."""

import os

from django.core.wsgi import get_wsgi_application

from chaoyang_preschool.startup import freeze_start_up_objects, require_id_number_key, require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chaoyang_preschool.settings")
require_secret_key()
require_id_number_key()
application = get_wsgi_application()
freeze_start_up_objects()
