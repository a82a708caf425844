"""WSGI entry point, used by `kafo serve` and any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kafo.settings")
application = get_wsgi_application()
