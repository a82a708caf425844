"""Reading Kafo with no link: a service worker of Kafo's own (`/sw.js`) keeps the app
shell and the pages a user recently read, and shows them read-only when offline.

The server decides what a device may keep. Each answer to a logged-in user says so in
`X-Kafo-Offline` (`keep` or `no`) and names its reader in `X-Kafo-Reader` (a keyed hash
of the user: the service worker keeps each reader's pages apart, and forgets them when
another reader comes). A page that showed personal data (a restricted field, through
the disclosure layer) is never kept, unless the user's role is in
KAFO_OFFLINE_PERSONAL_DATA_ROLES. Logging out empties the device (`Clear-Site-Data`).
"""

import hashlib
import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_GET

from kafo.actors.permissions import role_of
from kafo.security.disclosure import forget_personal_data_shown, personal_data_shown

KEPT_TYPES = ("text/html", "application/geo+json", "application/json")
# The app shell: kept at once, so that any page read before shows styled offline.
SHELL_FILES = ["kafo/kafo.css", "kafo/menu.js", "kafo/offline.js", "kafo/map.js",
               "kafo/favicon.svg", "django_htmx/htmx-2.min.js", "leaflet/leaflet.js",
               "leaflet/leaflet.css"]  # fmt: skip


def never_offline(view):
    """A view whose pages no device keeps (an account's pages, a person's data)."""
    view.kafo_never_offline = True
    return view


def reader_of(user) -> str:
    """The user's name for the service worker: a keyed hash, not the id."""
    return salted_hmac("kafo.offline.reader", str(user.pk)).hexdigest()[:20]


class OfflineCopyMiddleware:
    """Tells the service worker which answers it may keep, and whose they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forget_personal_data_shown()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            response["X-Kafo-Reader"] = ""
            return response
        response["X-Kafo-Reader"] = reader_of(user)
        response["X-Kafo-Offline"] = "keep" if self.keeps(request, response, user) else "no"
        return response

    def process_view(self, request, view, args, kwargs):
        request.kafo_never_offline = getattr(view, "kafo_never_offline", False)

    @staticmethod
    def keeps(request, response, user) -> bool:
        kind = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        return (
            request.method == "GET" and response.status_code == 200
            and kind in KEPT_TYPES and not response.streaming
            and "attachment" not in response.get("Content-Disposition", "")
            and "no-store" not in response.get("Cache-Control", "")
            and not getattr(request, "kafo_never_offline", False)
            and not request.path.startswith(("/accounts/", "/admin/", "/api/"))
            and (not personal_data_shown()
                 or role_of(user) in settings.KAFO_OFFLINE_PERSONAL_DATA_ROLES)
        )  # fmt: skip


def shell() -> list[str]:
    """The app shell's addresses: the static files as pages name them, and the page
    shown for what was not read before."""
    return [static(name) for name in SHELL_FILES] + [reverse("offline")]


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Kafo's service worker, at the root so that it serves every page."""
    files = shell()
    version = hashlib.sha256(json.dumps(files).encode()).hexdigest()[:12]
    response = render(request, "web/sw.js", {"shell": json.dumps(files), "version": version},
                      content_type="application/javascript; charset=utf-8")  # fmt: skip
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@login_not_required
@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page not read before, with no link."""
    return render(request, "web/offline.html")
