"""`{% map_legend "gaps" %}`: a map's legend, as a data attribute that map.js draws.

The colours live in map.js only, keyed like the features' properties, so a legend and
the map it explains cannot disagree.
"""

import json

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kafo.mineaction.vocabularies import HazardStatus

register = template.Library()

POINTS = [
    ("point", _("At its place")),
    ("generalised", _("Position generalised to the admin unit")),
]
LEGENDS = {
    "gaps": [
        ("no_presence", _("No presence: people in need, no activity")),
        ("below_target", _("Below target")),
        ("on_track", _("On track")),
        ("no_data", _("No need and no activity recorded")),
    ],
    "points": POINTS,
    "overview": [
        ("point", _("Activity")),
        ("generalised", _("Activity, position generalised to the admin unit")),
        ("resource", _("Resource offered for sharing")),
    ],
    "resources": [("resource", _("Resource offered for sharing"))],
    "priorities": [("shade-1", _("Highest priority")), ("shade-0.5", _("Middle")),
                   ("shade-0.05", _("Lowest priority"))],
    "equity": [("shade-1", _("Largest shortfall of response against need")),
               ("shade-0.5", _("Half of it")),
               ("shade-0", _("No shortfall"))],
    "coverage": [("shade-1", _("Priority unit without a consenting focal point")),
                 ("shade-0.5", _("No leader engaged in 12 months")),
                 ("shade-0", _("Covered, or not a priority"))],
}  # fmt: skip


@register.simple_tag
def map_legend(name: str = "", entries=None, counts=None) -> str:
    """The `data-legend` attribute of a map: a named legend or (key, label) entries.

    `counts` (key → number) adds how many features of each class the map shows.
    """
    if entries is None and name == "hazards":
        entries = HazardStatus.choices
    rows = list(entries if entries is not None else LEGENDS[name])
    shown = []
    for key, label in rows:
        text = str(label)
        if counts is not None:
            text = f"{text} ({counts.get(key, 0)})"
        shown.append([key, text])
    return format_html(' data-legend="{}"', json.dumps(shown, ensure_ascii=False))
