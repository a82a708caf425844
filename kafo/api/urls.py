from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from kafo.api import views

router = SimpleRouter(trailing_slash=True)
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("needs", views.NeedViewSet, basename="need")
router.register("transactions", views.TransactionViewSet, basename="transaction")
router.register("analysis", views.AnalysisViewSet, basename="analysis")
for code, viewset in views.record_viewsets().items():
    router.register(f"mineaction/{code}", viewset, basename=f"record-{code}")

app_name = "api"
# The API authenticates itself (token or session) and answers 401/403, never a login page.
urlpatterns = [
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    *[
        type(pattern)(
            pattern.pattern,
            login_not_required(pattern.callback),
            pattern.default_args,
            pattern.name,
        )
        for pattern in router.urls
    ],
]
