from django.conf import settings

from kafo.actors.permissions import can_create, membership_of
from kafo.geo.models import CodVersion
from kafo.security.disclosure import Audience
from kafo.web.navigation import menu_for


def user_of(request):
    from django.contrib.auth.models import AnonymousUser

    return getattr(request, "user", None) or AnonymousUser()


def platform(request) -> dict:
    """What every page shows: the demo warning, the user's organisation and role."""
    active = list(CodVersion.objects.filter(is_active=True))
    return {
        "active_versions": active,
        "demo_boundaries": any(version.is_demo for version in active),
        "membership": membership_of(getattr(request, "user", None)),
        # Donors and the public see aggregates only (kafo.security.disclosure).
        "sees_records": not Audience.of(getattr(request, "user", None)).aggregates_only,
        "map_tiles": settings.KAFO_MAP_TILES,
        "can_import": can_create(getattr(request, "user", None)),
        "menu": menu_for(request) if user_of(request).is_authenticated else [],
    }
