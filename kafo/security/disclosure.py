"""The one place that decides what a person may see: rows, fields, exports, map points.

Every page, export, API answer and map layer goes through these functions with the
viewer's `Audience`. Nothing else in Kafo compares roles with sensitivity classes.

Clearance by role, for other organisations' rows and for the viewer's own:

=================  ===========  ===================
role               others       own organisation
=================  ===========  ===================
public (no login)  public       public
donor viewer       public       public
partner viewer     partners     national IM
partner editor     partners     restricted
coordinator        restricted   restricted
=================  ===========  ===================
"""

from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kafo.actors.models import Role
from kafo.actors.permissions import membership_of
from kafo.security.suppression import suppress, suppress_gap_rows
from kafo.sensitivity import Policy, Sensitivity, policy_for

CLEARANCE: dict[str | None, tuple[Sensitivity, Sensitivity]] = {
    None: (Sensitivity.PUBLIC, Sensitivity.PUBLIC),
    Role.DONOR_VIEWER: (Sensitivity.PUBLIC, Sensitivity.PUBLIC),
    Role.PARTNER_VIEWER: (Sensitivity.PARTNERS, Sensitivity.NATIONAL_IM),
    Role.PARTNER_EDITOR: (Sensitivity.PARTNERS, Sensitivity.RESTRICTED),
    Role.COORDINATOR: (Sensitivity.RESTRICTED, Sensitivity.RESTRICTED),
}


@dataclass(frozen=True)
class Audience:
    """Who is looking: a role and an organisation (both None for the public)."""

    role: str | None = None
    organisation_id: int | None = None

    @classmethod
    def of(cls, user) -> "Audience":
        membership = membership_of(user)
        if membership is None:
            return PUBLIC_AUDIENCE
        return cls(role=membership.role, organisation_id=membership.organisation_id)

    @property
    def for_others(self) -> Sensitivity:
        return CLEARANCE[self.role][0]

    @property
    def for_own(self) -> Sensitivity:
        return CLEARANCE[self.role][1]

    @property
    def aggregates_only(self) -> bool:
        """Donors and the public see aggregates, never rows of operational records."""
        return self.for_others < Sensitivity.PARTNERS

    def clearance(self, owner_id: int | None) -> Sensitivity:
        own = owner_id is not None and owner_id == self.organisation_id
        return self.for_own if own else self.for_others


PUBLIC_AUDIENCE = Audience()


def audience(user_or_audience) -> Audience:
    if isinstance(user_or_audience, Audience):
        return user_or_audience
    return Audience.of(user_or_audience)


def _policy(model) -> Policy:
    policy = policy_for(model)
    if policy is None:
        raise ImproperlyConfigured(f"{model} has no protection policy (kafo.security.protect)")
    return policy


def owner_of(record: Model) -> int | None:
    policy = _policy(record)
    if policy.owner is None:
        return None
    value: Any = record
    for part in policy.owner.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def readable(viewer, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` the viewer may see one by one."""
    viewer = audience(viewer)
    policy = _policy(queryset.model)
    if policy.owner is None:
        return queryset if viewer.for_others >= policy.rows else queryset.none()
    own = Q(**{policy.owner: viewer.organisation_id}) if viewer.organisation_id else Q(pk=None)
    others_allowed = viewer.for_others >= policy.rows
    if policy.own_rows_only and viewer.role != Role.COORDINATOR:
        shared = Q(**{policy.shared: True}) if policy.shared and others_allowed else Q(pk=None)
        return queryset.filter(own | shared) if viewer.for_own >= policy.rows else queryset.none()
    if others_allowed:
        return queryset
    if viewer.for_own >= policy.rows:
        return queryset.filter(own)
    return queryset.none()


def require_rows(viewer, message: str) -> None:
    """Pages that show records one by one: donors and the public are refused with
    `message` (they get the aggregated pages)."""
    if audience(viewer).aggregates_only:
        raise PermissionDenied(message)


def may_see_rows(viewer, model, owner_id: int | None) -> bool:
    """Whether the viewer may see, one by one, the rows of `model` this owner holds."""
    return audience(viewer).clearance(owner_id) >= _policy(model).rows


def visible_columns(viewer, model, columns: Sequence[str]) -> list[str]:
    """The columns an export may carry for this viewer: those it may read in some row."""
    viewer = audience(viewer)
    ceiling = max(viewer.for_own, viewer.for_others)
    policy = _policy(model)
    return [name for name in columns if policy.sensitivity(name.split("__")[0]) <= ceiling]


class Withheld:
    """What a hidden value shows: a mark, never the value. False in tests and `if`."""

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return str(_("withheld"))

    def __html__(self) -> str:
        return format_html('<span class="withheld" title="{}">•••</span>', _("withheld"))

    def __repr__(self) -> str:
        return "WITHHELD"


WITHHELD = Withheld()


_PERSONAL_DATA_SHOWN: ContextVar[bool] = ContextVar("kafo_personal_data_shown", default=False)


def personal_data_shown() -> bool:
    """Whether this request showed a restricted (personal) field: its page is then never
    kept offline on the device (kafo.web.offline)."""
    return _PERSONAL_DATA_SHOWN.get()


def mark_personal_data_shown() -> None:
    """For a page that shows personal data outside `Disclosed` (a form holding a
    person's name to correct it): it is then never kept offline either."""
    _PERSONAL_DATA_SHOWN.set(True)


def forget_personal_data_shown() -> None:
    """At the start of a request (a server thread serves many)."""
    _PERSONAL_DATA_SHOWN.set(False)


class Disclosed:
    """A record as one viewer may see it: hidden fields read as WITHHELD.

    Templates use it like the record itself (`{{ victim.sex }}`); related records
    with a policy come back disclosed too.
    """

    def __init__(self, record: Model, viewer):
        self._record = record
        self._audience = audience(viewer)
        self._policy = _policy(record)

    @cached_property
    def _clearance(self) -> Sensitivity:
        return self._audience.clearance(owner_of(self._record))

    def may_read(self, name: str) -> bool:
        return self._policy.sensitivity(name) <= self._clearance

    @cached_property
    def readable_fields(self) -> set[str]:
        """For templates: `{% if "longitude" in accident.readable_fields %}`."""
        return {name for name in self._policy.fields if self.may_read(name)}

    def __getattr__(self, name: str):
        fields = self._policy.fields
        display = name.startswith("get_") and name.endswith("_display")
        field = name
        if display:
            field = name[4:-8]
        elif name not in fields and name.endswith("_id") and name[:-3] in fields:
            field = name[:-3]  # the raw key of a relation
        if field in self._policy.fields and not self.may_read(field):
            if field in self._policy.generalised_by:
                return getattr(self, self._policy.generalised_by[field])
            return (lambda: WITHHELD) if display else WITHHELD
        if self._policy.fields.get(field) == Sensitivity.RESTRICTED:
            _PERSONAL_DATA_SHOWN.set(True)
        value = getattr(self._record, name)
        if isinstance(value, Model) and policy_for(value) is not None:
            return Disclosed(value, self._audience)
        return value

    def __str__(self) -> str:
        return str(self._record)

    @property
    def record(self) -> Model:
        return self._record


def disclose(viewer, records: Iterable[Model] | Model):
    """One record, or a list of them, as the viewer may see them."""
    viewer = audience(viewer)
    if isinstance(records, Model):
        return Disclosed(records, viewer)
    return [Disclosed(record, viewer) for record in records]


def disclosed_table(viewer, queryset: QuerySet, columns: Sequence[str], limit: int | None = None):
    """Header and rows for an export, with the viewer's rows, columns and cells only.

    A column the viewer may read in no row is dropped; a cell of another organisation's
    row above the viewer's clearance for others is left empty.
    """
    rows = readable(viewer, queryset)
    if limit is not None:
        rows = rows[:limit]
    kept, cells = disclosed_rows(viewer, rows, columns)
    return kept, [row for _pk, row in cells]


def disclosed_rows(viewer, queryset: QuerySet, columns: Sequence[str], chunk_size: int = 2000):
    """The columns `disclosed_table` keeps, and its rows as (primary key, cells) read from
    the database `chunk_size` at a time: an export of any size in constant memory."""
    viewer = audience(viewer)
    policy = _policy(queryset.model)
    kept = visible_columns(viewer, queryset.model, columns)
    owner = policy.owner
    masks = [policy.sensitivity(name.split("__")[0]) > viewer.for_others for name in kept]
    fields = [*kept, "pk", *([owner] if owner else [])]
    rows = readable(viewer, queryset).values_list(*fields)

    def cells():
        for values in rows.iterator(chunk_size=chunk_size):
            own = owner is not None and values[-1] == viewer.organisation_id
            yield (
                values[len(kept)],
                [
                    "" if hide and not own else value
                    for value, hide in zip(values[: len(kept)], masks, strict=True)
                ],
            )

    return kept, cells()


def disclosed_values(viewer, model, owner_id: int | None, values: dict) -> dict:
    """Reported values (a field report's data) with the keys the viewer may not read
    replaced by WITHHELD."""
    viewer = audience(viewer)
    policy = _policy(model)
    clearance = viewer.clearance(owner_id)
    shown = {
        name: value if policy.sensitivity(name) <= clearance else WITHHELD
        for name, value in values.items()
    }
    if any(policy.sensitivity(name) == Sensitivity.RESTRICTED and value not in (None, "")
           and shown[name] is not WITHHELD for name, value in values.items()):  # fmt: skip
        _PERSONAL_DATA_SHOWN.set(True)
    return shown


def point_features(viewer, records: Iterable[Model], properties, place=None) -> list[dict]:
    """GeoJSON points for readable records: exact where the viewer may read the place's
    coordinates, else moved to the centre of its admin unit (generalised).

    `place(record)` gives the record holding the place (a victim's accident); by default
    the record itself. A place without coordinates is shown at its admin unit.
    """
    viewer = audience(viewer)
    features = []
    for record in records:
        located = place(record) if place else record
        if located is None:
            continue
        exact = hasattr(located, "longitude") and Disclosed(located, viewer).may_read("longitude")
        if exact:
            lon, lat = located.longitude, located.latitude
        else:
            unit = located.admin_unit
            if unit is None or unit.label_lon is None:
                continue
            lon, lat = unit.label_lon, unit.label_lat
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                "properties": {**properties(Disclosed(record, viewer)), "generalised": not exact},
            }
        )
    return features


def unit_count_features(units, counts: dict[int, int], label: str) -> list[dict]:
    """Public map points: one per admin unit (at its centre) with its suppressed count."""

    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [unit.label_lon, unit.label_lat]},
            "properties": {
                "name": unit.name,
                "pcode": unit.pcode,
                "count": suppress(counts[unit.pk]),
                "label": label,
                "generalised": True,
            },
        }
        for unit in units
        if counts.get(unit.pk) and unit.label_lon is not None
    ]


def disclosed_gaps(viewer, result: dict) -> dict:
    """A gaps analysis as this viewer may read it: for donors and the public, the
    casualties it carries under five become "<5" (pages, maps and API alike)."""

    if not audience(viewer).aggregates_only:
        return result
    return {**result, "units": suppress_gap_rows(result["units"])}
