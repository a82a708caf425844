from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from kafo.intake.views import webhook as intake_webhook
from kafo.mineaction.views import situation

urlpatterns = [
    path("", include("kafo.web.urls")),
    path("", include("kafo.coordination.urls")),
    path("geo/", include("kafo.web.geography_urls")),
    path("organisations/", include("kafo.web.organisation_urls")),
    path("mineaction/", include("kafo.mineaction.urls")),
    path("response/", include("kafo.response.urls")),
    path("funding/", include("kafo.funding.urls")),
    path("commitments/", include("kafo.commitments.urls")),
    path("communities/", include("kafo.communities.urls")),
    path("coordination/", include("kafo.meetings.urls")),
    path("library/", include("kafo.library.urls")),
    path("imports/", include("kafo.interop.urls")),
    path("intake/", include("kafo.intake.urls")),
    path("reports/", include("kafo.reports.urls")),
    # A webhook that pulls a field intake source at once (kafo.intake).
    path("api/v1/intake/<int:source>/", intake_webhook, name="intake_webhook"),
    path("api/v1/", include("kafo.api.urls")),
    path("situation/", situation, name="situation"),
    path("accounts/", include("kafo.security.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # The exchange rates' admin pages before they moved to the currencies app.
    re_path(
        r"^admin/funding/exchangerate/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/currencies/exchangerate/%(rest)s", permanent=True),
    ),
    path("admin/", admin.site.urls),
]
