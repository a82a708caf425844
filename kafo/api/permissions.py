"""Who may call the API at all: a logged-in member of an organisation, as for every page.
What each member may read or change is decided per record by kafo.actors.permissions."""

from rest_framework.permissions import IsAuthenticated

from kafo.actors.permissions import membership_of


class MemberPermission(IsAuthenticated):
    def has_permission(self, request, view) -> bool:

        return super().has_permission(request, view) and membership_of(request.user) is not None
