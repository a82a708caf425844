from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from kafo.actors.models import Organisation
from kafo.actors.permissions import is_coordinator
from kafo.communities.services import waiting_alerts
from kafo.geo.models import AdminUnit, CodVersion
from kafo.tasks.worker import alive_workers
from kafo.web.inbox import inbox, waiting_count


def _waiting_alerts(request: HttpRequest) -> int:
    """For the coordination: community alerts without a response after 72 hours."""

    return waiting_alerts(72).count() if is_coordinator(request.user) else 0


def home(request: HttpRequest) -> HttpResponse:
    """The shared picture: a map of the active admin units and what Kafo holds."""
    version = CodVersion.objects.filter(is_active=True).first()
    trays = inbox(request.user)
    levels = []
    if version:
        levels = list(
            AdminUnit.objects.filter(cod_version=version)
            .values_list("level", flat=True)
            .distinct()
            .order_by("level")
        )
    return render(
        request,
        "web/home.html",
        {
            "version": version,
            "levels": [level for level in levels if level > 0],
            "organisation_count": Organisation.objects.count(),
            "waiting_alerts": _waiting_alerts(request),
            "inbox": trays,
            "inbox_total": waiting_count(trays),
            "regions": AdminUnit.objects.filter(cod_version=version, level=1).without_geometry()
            if version
            else [],
        },
    )


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    """For a load balancer or a monitor: 200 when the database answers and, where tasks
    are kept in the database, at least one worker beats; 503 otherwise, saying which."""
    answer: dict = {"status": "ok", "database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return JsonResponse({"status": "failing", "database": type(error).__name__},
                            status=503)  # fmt: skip
    if str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_db"):
        answer["workers"] = alive_workers().count()
        if not answer["workers"]:
            answer["status"] = "failing"
            return JsonResponse(answer, status=503)
    return JsonResponse(answer)
