"""Requests no database can take: a NUL character in the query string or in a form or JSON
body (PostgreSQL refuses it in any text, so a filter or a lookup would fail with a server
error). Refused up front with 400, on every page and in the API alike."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


def has_null_character(query) -> bool:
    """Whether any parameter name or value of a QueryDict holds a NUL character."""
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists())


def _body_has_null_character(request) -> bool:
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return has_null_character(request.POST)
    if content_type == "application/json":
        return b"\\u0000" in request.body
    return False


class RefuseNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_null_character(request.GET) or _body_has_null_character(request):
            reason = _("A parameter holds a NUL character (%00 or \\u0000): remove it.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": reason}, status=400)
            return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
