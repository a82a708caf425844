"""Requests no database can take: a NUL character in the query string or in a form or JSON
body (PostgreSQL refuses it in any text, so a filter or a lookup would fail with a server
error), a number past 64 bits, a date that is not one. Refused up front with 400 and the
reason, on every page and in the API alike."""

import datetime
import re

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

LARGEST = 2**63 - 1
# Query parameters that are dates (ISO, as the forms send them) or years, on every page.
DATE_PARAMETERS = ("start", "end", "date", "from", "to")
YEAR_PARAMETERS = ("year",)
DIGITS = re.compile(r"-?\d+")


def bad_parameter(query, api: bool = False) -> tuple[str, str] | None:
    """The parameter a query string cannot be taken for, and why; or None.

    In the API each parameter is checked by its own filter (an organisation given as
    digits may be a name there), so only dates and years are checked here for it."""
    for name, values in query.lists():
        for value in values:
            value = value.strip()
            if not api and DIGITS.fullmatch(value) and abs(int(value)) > LARGEST:
                return name, _("%(name)s: %(value)s… is too large a number") % {
                    "name": name, "value": value[:20]}  # fmt: skip
            if not value:
                continue
            if name in DATE_PARAMETERS:
                try:
                    datetime.date.fromisoformat(value)
                except ValueError:
                    return name, _("%(name)s: %(value)s is not a date (YYYY-MM-DD)") % {
                        "name": name, "value": value[:40]}  # fmt: skip
            if name in YEAR_PARAMETERS and not (value.isdigit() and 1900 <= int(value) <= 2100):
                return name, _("%(name)s: %(value)s is not a year (1900 to 2100)") % {
                    "name": name, "value": value[:40]}  # fmt: skip
    return None


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


class RefuseUnusableParametersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path.startswith("/api/")
        if has_null_character(request.GET) or _body_has_null_character(request):
            reason = _("A parameter holds a NUL character (%00 or \\u0000): remove it.")
            if api:
                return JsonResponse({"detail": reason}, status=400)
            return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")
        if (bad := bad_parameter(request.GET, api=api)) is not None:
            name, reason = bad
            if api:  # as the API's own checks answer: the reasons by parameter
                return JsonResponse({name: [reason]}, status=400)
            return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
