"""Every HXL import by kind, for the command line and the upload page."""

from kafo.interop.activities import import_activities
from kafo.interop.needs import import_needs
from kafo.interop.organisations import import_organisations
from kafo.interop.records import import_hazards, import_incidents

IMPORTERS = {
    "activities": import_activities,
    "hazards": import_hazards,
    "incidents": import_incidents,
    "needs": import_needs,
    "organisations": import_organisations,
}
# The kinds whose rows name admin units by p-code or name (options: --cod-version).
PLACED_KINDS = ("activities", "needs")
