"""`kafo check --deploy`: what a production server must have, beyond Django's own checks."""

import os

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def production_settings(app_configs, **kwargs):
    problems = []
    if not os.environ.get("KAFO_SECRET_KEY"):
        problems.append(
            Error(
                "KAFO_SECRET_KEY is not set: in production the secret key comes from the "
                "environment, not from a file next to the code.",
                id="kafo.E001",
            )
        )
    if not settings.KAFO_HTTPS:
        problems.append(
            Warning(
                "KAFO_HTTPS is off: secure cookies and HSTS need Kafo served over HTTPS.",
                id="kafo.W001",
            )
        )
    if "coordinator" not in settings.KAFO_SECOND_FACTOR_ROLES:
        problems.append(
            Warning(
                "Coordinators are not required to use a second factor (KAFO_SECOND_FACTOR_ROLES).",
                id="kafo.W002",
            )
        )
    return problems
