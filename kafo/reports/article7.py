"""The Article 7 transparency reports, drafted from the validated records (the record
tables, as `kafo figures`): the forms of the Ottawa Convention (APMBC, forms A–J) and of
the Convention on Cluster Munitions (CCM, forms A–J), for one calendar year.

Each form is a dict: `code`, `title`, `source` ("records", "text" or both), `columns`
(key, label), `rows` (each with `records`: the (kind, reference) of the records behind
it, or `transactions`: funding flows' ids), `totals`, `note`, and `text` (what the
authority wrote, for what Kafo holds nothing of). A form built from the records with no
record for the year has no rows and says so (`empty`): never a table of zeros.

Definitions (docs/reports.md):
- Mined areas (APMBC C): suspected (SHA) and confirmed (CHA) hazards whose contamination
  includes anti-personnel mines or improvised (victim-operated) mines, remaining at the
  end of the year: not closed, or closed by an activity that ended after the year; and
  known by then: its first field report's date of information is in the year or before,
  or an activity worked on it by then (records migrated without their first date count
  from their entry). CCM G: the same with cluster munitions.
- In the year: an activity by its end date (else its start), a device by its activity's,
  a session or a service by its date, a casualty by its accident's, a flow by its date.
- Destroyed (APMBC G): devices destroyed in situ, removed and destroyed, or rendered
  safe; those handed over or of unknown fate are listed apart.
- International cooperation: disbursements (IATI 3 and incoming funds) of the year to
  mine action activities, by pillar (the activity's type), in US dollars at each flow's
  rate; a flow still waiting for its rate is counted apart, never as zero."""

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Min, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.funding.models import DISBURSED, Transaction
from kafo.mineaction import vocabularies as v
from kafo.mineaction.models import (
    Assistance,
    DeviceFound,
    EoreSession,
    FieldReport,
    Hazard,
    LandReleaseActivity,
    RecordKind,
    Victim,
)
from kafo.vocabulary import CLR, EOD, EORE, MINE_ACTION, NTS, SSD, TS, VA

APMBC, CCM = "apmbc", "ccm"
# What each treaty reports: anti-personnel mines (an improvised mine a victim sets off is
# one), or cluster munitions.
CONTAMINATION = {APMBC: ("ap_mine", "improvised_mine"), CCM: ("cluster_munition",)}
DESTROYED = (v.DestructionMethod.IN_SITU, v.DestructionMethod.REMOVED,
             v.DestructionMethod.RENDERED_SAFE)  # fmt: skip
SUSPECTED_OR_CONFIRMED = (v.HazardClassification.SHA, v.HazardClassification.CHA)
PILLARS = {EORE: gettext_lazy("Risk education"), VA: gettext_lazy("Victim assistance"),
           NTS: gettext_lazy("Survey and clearance"), TS: gettext_lazy("Survey and clearance"),
           CLR: gettext_lazy("Survey and clearance"), EOD: gettext_lazy("Survey and clearance"),
           SSD: gettext_lazy("Stockpile destruction")}  # fmt: skip
OTHER_PILLAR = gettext_lazy("Other mine action")

# The forms, in order: code → (title, built from the records by …, or None: text only).
APMBC_FORMS = {
    "A": gettext_lazy("National implementation measures"),
    "B": gettext_lazy("Stockpiled anti-personnel mines"),
    "C": gettext_lazy("Location of mined areas"),
    "D": gettext_lazy("Anti-personnel mines retained or transferred"),
    "E": gettext_lazy("Status of conversion or decommissioning of production facilities"),
    "F": gettext_lazy("Status of programmes for the destruction of anti-personnel mines"),
    "G": gettext_lazy("Anti-personnel mines destroyed after entry into force"),
    "H": gettext_lazy("Technical characteristics of each type of anti-personnel mine"),
    "I": gettext_lazy("Measures to provide an immediate and effective warning to the population"),
    "J": gettext_lazy("Other relevant matters: victim assistance and international cooperation"),
}
# As the CCM's reporting formats (CCM/MSP/2010/PM/10): forms A to J.
CCM_FORMS = {
    "A": gettext_lazy("National implementation measures"),
    "B": gettext_lazy("Stockpiles and destruction"),
    "C": gettext_lazy("Technical characteristics of each type produced, owned or possessed"),
    "D": gettext_lazy("Cluster munitions retained and transferred"),
    "E": gettext_lazy("Status of conversion programmes"),
    "F": gettext_lazy("Contaminated areas and clearance"),
    "G": gettext_lazy("Warning to the population and risk education"),
    "H": gettext_lazy("Victim assistance"),
    "I": gettext_lazy("National resources and international cooperation and assistance"),
    "J": gettext_lazy("Other relevant matters"),
}
FORMS = {APMBC: APMBC_FORMS, CCM: CCM_FORMS}


def period(year: int) -> tuple[datetime.date, datetime.date]:
    """The calendar year a report covers."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _form(code: str, title: Any, source: str, columns=(), rows=(), totals=None, note="",
          text="") -> dict[str, Any]:  # fmt: skip
    rows = list(rows)
    return {"code": code, "title": str(title), "source": source,
            "columns": [(key, str(label)) for key, label in columns], "rows": rows,
            "totals": totals or {}, "note": str(note), "text": text,
            "empty": source != "text" and not rows}  # fmt: skip


def _label(choices, code: str) -> str:
    return str(dict(choices.choices).get(code, code or "—"))


def _contaminated(treaty: str) -> Q:
    """Hazards whose contamination includes one of the treaty's devices (a JSON list:
    matched in Python-free SQL by a containment test per device)."""
    wanted = Q()
    for device in CONTAMINATION[treaty]:
        wanted |= Q(contamination__icontains=f'"{device}"')
    return wanted


def remaining_hazards(treaty: str, year: int) -> QuerySet:
    """The suspected and confirmed hazards of the treaty's contamination remaining at the
    end of the year (see the module's definitions)."""
    _start, end = period(year)
    closed_after = (
        LandReleaseActivity.objects.annotate(when=Coalesce("end_date", "start_date"))
        .filter(when__gt=end)
        .values("hazard_id")
    )
    # Known only after the year: its first field report tells of a later date, and no
    # activity worked on it by then.
    known_after = (FieldReport.objects.filter(kind=RecordKind.HAZARD)
                   .values("record_reference").annotate(first=Min("date_of_information"))
                   .filter(first__gt=end).values("record_reference"))  # fmt: skip
    worked_by_then = LandReleaseActivity.objects.filter(start_date__lte=end).values("hazard_id")
    return (Hazard.objects.filter(_contaminated(treaty), classification__in=SUSPECTED_OR_CONFIRMED)
            .filter(~Q(status=v.HazardStatus.CLOSED) | Q(pk__in=closed_after))
            .exclude(Q(reference__in=known_after) & ~Q(pk__in=worked_by_then))
            .select_related("admin_unit").order_by("admin_unit__pcode", "reference"))  # fmt: skip


def _activities_in(year: int, hazards: QuerySet | None = None) -> QuerySet:
    start, end = period(year)
    activities = LandReleaseActivity.objects.annotate(when=Coalesce("end_date", "start_date"))
    activities = activities.filter(when__gte=start, when__lte=end)
    return activities if hazards is None else activities.filter(hazard__in=hazards)


def mined_areas(code: str, treaty: str, year: int) -> dict[str, Any]:
    """APMBC C / CCM G: each remaining hazard with its place, type and area."""
    rows = []
    totals: dict[str, float] = defaultdict(float)
    for hazard in remaining_hazards(treaty, year).iterator(chunk_size=2000):
        area = hazard.remaining_area_m2 if hazard.remaining_area_m2 is not None \
            else hazard.estimated_area_m2  # fmt: skip
        unit = hazard.admin_unit
        rows.append({
            "reference": hazard.reference, "name": hazard.name,
            "admin_unit": f"{unit.name} ({unit.pcode})" if unit else "—",
            "location": f"{hazard.latitude:.5f}, {hazard.longitude:.5f}",
            "classification": _label(v.HazardClassification, hazard.classification),
            "contamination": ", ".join(_label(v.Contamination, c) for c in hazard.contamination),
            "area_m2": round(area or 0),
            "records": [("hazard", hazard.reference)],
        })  # fmt: skip
        totals["hazards"] += 1
        totals["area_m2"] += area or 0
        totals[hazard.classification] += 1
    columns = [("reference", _("Reference")), ("name", _("Local name")),
               ("admin_unit", _("Admin unit")), ("location", _("Latitude, longitude")),
               ("classification", _("Type of area")), ("contamination", _("Contamination")),
               ("area_m2", _("Area remaining (m²)"))]  # fmt: skip
    note = _("Suspected and confirmed hazardous areas remaining on 31 December %(year)s.") % {
        "year": year}  # fmt: skip
    title = FORMS[treaty][code]
    return _form(code, title, "records", columns, rows,
                 {k: round(v_) for k, v_ in totals.items()}, note)  # fmt: skip


def _devices_in(year: int) -> QuerySet:
    return DeviceFound.objects.filter(activity__in=_activities_in(year))


def destroyed(code: str, treaty: str, year: int) -> dict[str, Any]:
    """APMBC G / CCM H: devices found and destroyed in the year by category (the
    treaty's own first), and the areas cancelled, reduced and cleared."""
    devices = _devices_in(year).select_related("activity").order_by("category", "reference")
    by_category: dict[tuple[str, bool], dict[str, Any]] = {}
    for device in devices.iterator(chunk_size=2000):
        done = device.destruction_method in DESTROYED
        row = by_category.setdefault((device.category, done), {
            "category": _label(v.DeviceCategory, device.category),
            "fate": _("destroyed") if done else _("handed over or fate unknown"),
            "treaty": device.category in CONTAMINATION[treaty], "quantity": 0,
            "records": []})  # fmt: skip
        row["quantity"] += device.quantity
        row["records"].append(("device", device.reference))
    rows = sorted(by_category.values(), key=lambda r: (not r["treaty"], r["category"], r["fate"]))
    hazards = Hazard.objects.filter(_contaminated(treaty))
    released = {"cancelled": 0.0, "reduced": 0.0, "cleared": 0.0}
    activities = _activities_in(year, hazards).order_by("reference")
    released_records = []
    for activity in activities.iterator(chunk_size=2000):
        released["cancelled"] += activity.area_cancelled_m2
        released["reduced"] += activity.area_reduced_m2
        released["cleared"] += activity.area_cleared_m2
        released_records.append(("activity", activity.reference))
    for key, label in (("cancelled", _("Area cancelled by non-technical survey (m²)")),
                       ("reduced", _("Area reduced by technical survey (m²)")),
                       ("cleared", _("Area cleared (m²)"))):  # fmt: skip
        if released_records:
            rows.append({"category": label, "fate": "", "treaty": True,
                         "quantity": round(released[key]),
                         "records": released_records})  # fmt: skip
    columns = [("category", _("Device or area")), ("fate", _("Fate")),
               ("quantity", _("Quantity"))]  # fmt: skip
    treaty_total = sum(r["quantity"] for r in rows if r["treaty"] and r["fate"] == _("destroyed"))
    return _form(code, FORMS[treaty][code], "records", columns, rows,
                 {"treaty_devices_destroyed": treaty_total})  # fmt: skip


def programmes(code: str, treaty: str, year: int, text: str) -> dict[str, Any]:
    """APMBC F: the methods used in the year (devices by destruction method) and the
    sites worked (hazards with an activity in the year); the standards are written."""
    rows = []
    methods: dict[str, list] = defaultdict(list)
    quantity: dict[str, int] = defaultdict(int)
    treaty_devices = _devices_in(year).filter(category__in=CONTAMINATION[treaty])
    for device in treaty_devices.order_by("reference").iterator(chunk_size=2000):
        methods[device.destruction_method].append(("device", device.reference))
        quantity[device.destruction_method] += device.quantity
    for method, records in sorted(methods.items()):
        rows.append({"item": _("Method: %(method)s") % {
            "method": _label(v.DestructionMethod, method)}, "count": quantity[method],
            "records": records})  # fmt: skip
    sites = (Hazard.objects.filter(_contaminated(treaty))
             .filter(pk__in=_activities_in(year).values("hazard_id"))
             .select_related("admin_unit").order_by("reference"))  # fmt: skip
    for hazard in sites.iterator(chunk_size=2000):
        unit = hazard.admin_unit
        rows.append({"item": _("Site: %(reference)s, %(unit)s") % {
            "reference": hazard.reference, "unit": unit.name if unit else "—"},
            "count": 1, "records": [("hazard", hazard.reference)]})  # fmt: skip
    columns = [("item", _("Method or site")), ("count", _("Devices (methods) or sites"))]
    note = _("The standards followed (national standards, IMAS) are written below.")
    form = _form(code, FORMS[treaty][code], "records", columns, rows, text=text, note=note)
    form["source"] = "both"
    return form


def warnings_to_population(code: str, treaty: str, year: int) -> dict[str, Any]:
    """APMBC I / CCM I: risk education sessions of the year by method and audience."""
    start, end = period(year)
    bands = ("girls_5_12", "boys_5_12", "girls_13_17", "boys_13_17", "women", "men",
             "persons_with_disabilities")  # fmt: skip
    by_method: dict[str, dict[str, Any]] = {}
    sessions = EoreSession.objects.filter(date__gte=start, date__lte=end).order_by("reference")
    for session in sessions.iterator(chunk_size=2000):
        row = by_method.setdefault(session.method, {
            "method": _label(v.EoreMethod, session.method), "sessions": 0,
            **dict.fromkeys(bands, 0), "records": []})  # fmt: skip
        row["sessions"] += 1
        for band in bands:
            row[band] += getattr(session, band)
        row["records"].append(("eore", session.reference))
    rows = [by_method[m] for m in sorted(by_method)]
    for row in rows:
        row["girls"] = row["girls_5_12"] + row["girls_13_17"]
        row["boys"] = row["boys_5_12"] + row["boys_13_17"]
    columns = [("method", _("Method")), ("sessions", _("Sessions")), ("girls", _("Girls")),
               ("boys", _("Boys")), ("women", _("Women")), ("men", _("Men")),
               ("persons_with_disabilities", _("Persons with disabilities"))]  # fmt: skip
    totals = {key: sum(r[key] for r in rows) for key, _label_ in columns[1:]}
    return _form(code, FORMS[treaty][code], "records", columns, rows, totals)


def victim_assistance(year: int) -> list[dict[str, Any]]:
    """Casualties of the year by outcome and sex, and the services delivered in the
    year (received or completed) by service: rows of counts, each with its records."""
    start, end = period(year)
    rows: list[dict[str, Any]] = []
    casualties: dict[tuple[str, str], list] = defaultdict(list)
    victims = Victim.objects.filter(accident__date__gte=start, accident__date__lte=end)
    for reference, outcome, sex in victims.order_by("reference").values_list(
            "reference", "outcome", "sex").iterator(chunk_size=2000):  # fmt: skip
        casualties[(outcome, sex)].append(("victim", reference))
    for (outcome, sex), records in sorted(casualties.items()):
        rows.append({"item": _("Casualties: %(outcome)s, %(sex)s") % {
            "outcome": _label(v.Outcome, outcome), "sex": _label(v.Sex, sex)},
            "count": len(records), "records": records})  # fmt: skip
    delivered = Assistance.objects.filter(
        date__gte=start, date__lte=end,
        referral_status__in=[v.ReferralStatus.RECEIVED, v.ReferralStatus.COMPLETED],
    )  # fmt: skip
    services: dict[str, list] = defaultdict(list)
    for reference, service in delivered.order_by("reference").values_list(
            "reference", "service").iterator(chunk_size=2000):  # fmt: skip
        services[service].append(("assistance", reference))
    for service, records in sorted(services.items()):
        rows.append({"item": _("Service delivered: %(service)s") % {
            "service": _label(v.AssistanceService, service)}, "count": len(records),
            "records": records})  # fmt: skip
    return rows


def cooperation(year: int) -> tuple[list[dict[str, Any]], str]:
    """Funding disbursed in the year to mine action activities, by pillar, in USD; and a
    note of what was not counted (flows waiting for a rate, flows to no activity)."""
    start, end = period(year)
    flows = Transaction.objects.filter(type__in=sorted(DISBURSED), date__gte=start,
                                       date__lte=end).select_related("activity")  # fmt: skip
    by_pillar: dict[str, dict[str, Any]] = {}
    waiting = unlinked = 0
    for flow in flows.order_by("pk").iterator(chunk_size=2000):
        activity = flow.activity
        if activity is None or activity.sector != MINE_ACTION:
            unlinked += 1
            continue
        if flow.rate_to_usd is None:
            waiting += 1
            continue
        pillar = str(PILLARS.get(activity.activity_type, OTHER_PILLAR))
        row = by_pillar.setdefault(pillar, {"item": pillar, "count": Decimal(0),
                                            "transactions": []})  # fmt: skip
        row["count"] += flow.amount * flow.country_share * flow.rate_to_usd
        row["transactions"].append(flow.pk)
    rows = [by_pillar[p] for p in sorted(by_pillar)]
    for row in rows:
        row["count"] = round(float(row["count"]))
        row["item"] = _("Funding received (USD): %(pillar)s") % {"pillar": row["item"]}
    notes = []
    if waiting:
        notes.append(_("%(n)d disbursements wait for an exchange rate and are not counted.")
                     % {"n": waiting})  # fmt: skip
    if unlinked:
        notes.append(_("%(n)d disbursements of the year are linked to no mine action activity "
                       "and are not counted.") % {"n": unlinked})  # fmt: skip
    return rows, " ".join(notes)


def contaminated_and_cleared(code: str, year: int, text: str) -> dict[str, Any]:
    """CCM F: each cluster munition contaminated area remaining at the year's end, and in
    its note what clearance did in the year (submunitions destroyed, area released); the
    clearance plans are written."""
    form = mined_areas(code, CCM, year)
    done = destroyed(code, CCM, year)
    areas = {row["category"]: row["quantity"] for row in done["rows"] if not row["fate"]}
    released = sum(areas.values())
    devices = done["totals"]["treaty_devices_destroyed"]
    from kafo.numbers import whole

    area = whole(released)
    clearance = _("In %(year)s: %(devices)s cluster munitions destroyed, %(area)s m² "
                  "released on cluster munition contaminated areas.") % {
        "year": year, "devices": devices, "area": area}  # fmt: skip
    form.update(source="both", text=text, note=f"{form['note']} {clearance}")
    form["empty"] = not form["rows"]
    return form


def build(treaty: str, year: int, texts: dict[str, str]) -> list[dict[str, Any]]:
    """Every form of the treaty's report for the year, from the records and the texts."""
    if treaty not in FORMS:
        raise ValueError(f"no such treaty: {treaty}")
    forms = []
    count_columns = [("item", _("Item")), ("count", _("Number"))]
    for code, title in FORMS[treaty].items():
        text = texts.get(code, "")
        if treaty == APMBC and code == "C":
            forms.append(mined_areas(code, treaty, year))
        elif treaty == APMBC and code == "G":
            forms.append(destroyed(code, treaty, year))
        elif treaty == APMBC and code == "F":
            forms.append(programmes(code, treaty, year, text))
        elif (treaty, code) in ((APMBC, "I"), (CCM, "G")):
            forms.append(warnings_to_population(code, treaty, year))
        elif treaty == APMBC and code == "J":
            funding, note = cooperation(year)
            form = _form(code, title, "both", count_columns, victim_assistance(year) + funding,
                         note=note, text=text)  # fmt: skip
            forms.append(form)
        elif treaty == CCM and code == "F":
            forms.append(contaminated_and_cleared(code, year, text))
        elif treaty == CCM and code == "H":
            forms.append(_form(code, title, "both", count_columns, victim_assistance(year),
                               text=text))  # fmt: skip
        elif treaty == CCM and code == "I":
            funding, note = cooperation(year)
            forms.append(_form(code, title, "both", count_columns, funding, note=note,
                               text=text))  # fmt: skip
        else:
            forms.append(_form(code, title, "text", text=text))
    return forms


def comparable(form: dict[str, Any]) -> Any:
    """What says whether a form changed since the last report: its rows' values (not
    their records' links) and its text."""
    keys = [key for key, _label_ in form["columns"]]
    return [[[row.get(k) for k in keys] for row in form["rows"]], form["text"].strip()]
