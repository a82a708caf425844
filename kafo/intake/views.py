"""Kafo's field forms to download: each kind's XLSForm, and the open hazards a land
release activity chooses from (both also written by `kafo xlsform`)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from kafo.actors.permissions import may_import
from kafo.intake.xlsforms import FORM_KINDS, HAZARDS_FILE, hazards_csv, written
from kafo.mineaction.models import Hazard
from kafo.security.disclosure import readable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may_deploy(request: HttpRequest) -> None:
    # Those who bring data in (the imports page) deploy the forms that bring it.
    if not may_import(request.user):
        raise PermissionDenied


def form_download(request: HttpRequest, kind: str) -> HttpResponse:
    """A kind's XLSForm, its version recorded."""
    _may_deploy(request)
    if kind not in FORM_KINDS:
        raise Http404
    made = written(kind)
    response = HttpResponse(made.workbook(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="kafo-{kind}-{made.version}.xlsx"'
    return response


def hazards_file(request: HttpRequest) -> HttpResponse:
    """The open hazards the reader may see, for `select_one_from_file`."""
    _may_deploy(request)
    response = HttpResponse(hazards_csv(readable(request.user, Hazard.objects.all())),
                            content_type="text/csv; charset=utf-8")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="{HAZARDS_FILE}"'
    return response
