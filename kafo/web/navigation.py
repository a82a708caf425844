"""The main menu: a few entries with sub-menus, each link shown only to whom may open it.

The rules mirror the views' own checks; ``tests/web/test_navigation.py`` opens every
link as every role, and every page a role may open must be found in its menu.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kafo.actors.permissions import can_create, is_coordinator, membership_of
from kafo.coordination.registry import ANALYSES, EVERYONE, Analysis
from kafo.security.disclosure import Audience


@dataclass(frozen=True)
class Viewer:
    """What the menu needs to know about the person looking at it."""

    member: bool
    sees_records: bool
    edits: bool
    coordinates: bool
    staff: bool

    @classmethod
    def of(cls, user) -> "Viewer":
        member = membership_of(user) is not None
        return cls(
            member=member,
            sees_records=member and not Audience.of(user).aggregates_only,
            edits=can_create(user),
            coordinates=is_coordinator(user),
            staff=bool(getattr(user, "is_staff", False)),
        )


Rule = Callable[[Viewer], bool]


def everyone(viewer: Viewer) -> bool:
    return True


def members(viewer: Viewer) -> bool:
    return viewer.member


def record_readers(viewer: Viewer) -> bool:
    """Partners and the coordination; donors and the public see aggregates only."""
    return viewer.sees_records


def analysis_rule(analysis: Analysis) -> Rule:
    """Who sees an analysis in the menu: its audience in the registry."""
    return everyone if analysis.audience == EVERYONE else record_readers


def editors(viewer: Viewer) -> bool:
    return viewer.edits


def coordination(viewer: Viewer) -> bool:
    return viewer.coordinates


def staff(viewer: Viewer) -> bool:
    return viewer.staff


@dataclass(frozen=True)
class Link:
    label: Promise
    url_name: str
    shown: Rule = everyone


MENU: list[tuple[Promise, list[Link]]] = [
    (_("Home"), [Link(_("Home"), "home")]),
    (_("Situation"), [
        Link(_("Key figures"), "situation"),
        Link(_("Mine action records"), "mineaction:index", record_readers),
        Link(_("Field reports"), "mineaction:reports", record_readers),
        Link(_("Hazard indication"), "mineaction:quick_hazard", editors),
        Link(_("Monthly bulletin"), "reports:bulletin"),
        Link(_("Country profile"), "reports:profile", record_readers),
        Link(_("Treaty reports (Article 7)"), "reports:index", coordination),
        Link(_("Admin units"), "geo:index"),
    ]),
    (_("Response"), [
        Link(_("Overview"), "overview"),
        Link(_("Activities (5W)"), "response:activities"),
        Link(_("Needs"), "response:needs"),
        Link(_("Access restrictions"), "response:access", record_readers),
        Link(_("Sharing board"), "response:sharing_board"),
        Link(_("Joint plans"), "plans", record_readers),
        Link(_("My organisation"), "my_organisation", members),
    ]),
    (_("Coordination"), [
        Link(_("Coordination bodies"), "meetings:bodies", record_readers),
        Link(_("Action points"), "meetings:actions", record_readers),
        Link(_("Referrals to other sectors"), "meetings:referrals", record_readers),
        Link(_("Local capacity"), "reports:capacity", members),
    ]),
    (_("Knowledge"), [
        Link(_("Good-practice library"), "library:index", members),
        Link(_("Lessons learned"), "library:lessons", members),
        Link(_("Collections"), "library:collections", members),
        Link(_("What is new"), "library:new", members),
    ]),
    (_("Funding"), [
        Link(_("Funding flows"), "funding:transactions"),
        Link(_("Localisation"), "funding:localisation", members),
        Link(_("Strategies"), "response:frameworks"),
        Link(_("Commitments"), "commitments:frameworks"),
    ]),
    # The analyses' pages and who may see them come from the registry.
    (_("Analyses"), [
        Link(analysis.title, analysis.page, analysis_rule(analysis))
        for analysis in ANALYSES.values() if analysis.path.startswith("analysis/")
    ]),
    (_("Communities"), [
        Link(_("Focal points"), "communities:directory", record_readers),
        Link(_("Community alerts"), "communities:alerts", record_readers),
        Link(_("Coverage"), ANALYSES["community"].page, analysis_rule(ANALYSES["community"])),
        Link(_("Message library"), "communities:library", record_readers),
    ]),
    (_("Data"), [
        Link(_("Organisations"), "actors:list"),
        Link(_("Accreditation register"), "actors:accreditations", members),
        Link(_("Imports"), "interop:batches", editors),
        Link(_("Field intake"), "intake:sources", editors),
        Link(_("Matches to review"), "interop:review", coordination),
        Link(_("Reference data"), "admin:index", staff),
    ]),
]  # fmt: skip


@functools.lru_cache(maxsize=256)
def _address(url_name: str, script_prefix: str) -> str:
    return reverse(url_name)


@receiver(setting_changed)
def _forget_addresses(setting: str, **kwargs) -> None:
    # As Django forgets its own resolvers when the URLconf changes (tests override it).
    if setting == "ROOT_URLCONF":
        _address.cache_clear()


def menu_for(request: HttpRequest) -> list[dict]:
    """The menu the user may use, the page they are on marked as current.

    A group with one link is a plain entry; a group with none is left out.
    """
    viewer = Viewer.of(request.user)
    groups = [
        {"label": label, "links": [
            # The addresses are the same on every page: worked out once per process.
            {"label": link.label, "url": _address(link.url_name, get_script_prefix()),
             "current": False}
            for link in links if link.shown(viewer)
        ]}
        for label, links in MENU
    ]  # fmt: skip
    groups = [group for group in groups if group["links"]]
    # The current page is the longest matching address ("/" matches only itself).
    path = request.path
    matches = [
        link for group in groups for link in group["links"]
        if path == link["url"] or (link["url"] != "/" and path.startswith(link["url"]))
    ]  # fmt: skip
    if matches:
        max(matches, key=lambda link: len(link["url"]))["current"] = True
    for group in groups:
        group["current"] = any(link["current"] for link in group["links"])
    return groups
