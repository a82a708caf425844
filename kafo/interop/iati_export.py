"""Kafo activities as IATI 2.03 XML, validated against the official schema (offline).

What is written goes through the disclosure layer like any export: by default the public
audience, so exact points stay out and places are admin units (p-code and name)."""

import copy
import os
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from itertools import islice
from pathlib import Path

import pycountry
from django.db.models import Prefetch
from django.utils import timezone
from lxml import etree

from kafo.actors.models import OrganisationType
from kafo.funding.models import Transaction
from kafo.geo.models import CodVersion
from kafo.interop.iati_import import CLUSTERS, STATUSES, kafo_state
from kafo.response.models import Activity

SCHEMA = Path(__file__).parent / "iati_schema" / "2.03" / "iati-activities-schema.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Kafo organisation type → IATI OrganisationType code.
ORGANISATION_TYPES = {
    OrganisationType.NATIONAL_AUTHORITY: "10", OrganisationType.GOVERNMENT: "10",
    OrganisationType.UN_AGENCY: "40", OrganisationType.INTERNATIONAL_NGO: "21",
    OrganisationType.NATIONAL_NGO: "22", OrganisationType.RED_CROSS: "90",
    OrganisationType.DONOR: "10", OrganisationType.PRIVATE_SECTOR: "70",
    OrganisationType.ACADEMIC: "80", OrganisationType.COMMUNITY_BASED: "24",
}  # fmt: skip
IATI_STATUS = {kafo: iati for iati, kafo in reversed(STATUSES.items())}
SECTOR_CLUSTER = {kafo: iati for iati, kafo in CLUSTERS.items()}
# Kafo sectors with a closer OECD DAC purpose code (vocabulary 1).
SECTOR_DAC = {"PRO-MIN": "15250", "PRO-CPN": "15261", "PRO-GBV": "15180", "PRO-HLP": "15150"}


class IatiSchemaError(ValueError):
    """The XML does not validate; the message lists the schema's first complaints."""


class NothingToPublish(ValueError):
    """No activity can be published; `left_out` counts them by reason."""

    def __init__(self, left_out: dict[str, int]):
        self.left_out = left_out
        super().__init__(str(left_out))


@cache
def schema() -> etree.XMLSchema:
    """The IATI 2.03 activity schema (read once, from the package)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def validate(document: etree._ElementTree) -> None:
    """Raise IatiSchemaError unless the document is valid IATI 2.03."""
    checker = schema()
    if not checker.validate(document):
        problems = [f"{e.path}: {e.message}" for e in list(checker.error_log)[:10]]
        raise IatiSchemaError("; ".join(problems))


def publisher() -> dict:
    """Who publishes: the platform's operator (KAFO_IATI_PUBLISHER_REF/NAME/TYPE)."""
    return {
        "ref": os.environ.get("KAFO_IATI_PUBLISHER_REF", ""),
        "name": os.environ.get("KAFO_IATI_PUBLISHER_NAME", "Kafo"),
        "type": os.environ.get("KAFO_IATI_PUBLISHER_TYPE", "10"),
    }


def _narrative(parent, tag: str, text: str, lang: str | None = None):
    element = etree.SubElement(parent, tag)
    narrative = etree.SubElement(element, "narrative")
    if lang:
        narrative.set(XML_LANG, lang)
    narrative.text = text
    return element


def _org(parent, tag: str, organisation, **attributes) -> None:
    element = etree.SubElement(parent, tag)
    if organisation.iati_identifier:
        element.set("ref", organisation.iati_identifier)
    element.set("type", ORGANISATION_TYPES.get(organisation.type, "90"))
    for key, value in attributes.items():
        element.set(key.replace("_", "-"), value)
    etree.SubElement(element, "narrative").text = organisation.name


def _country_code() -> str:

    version = CodVersion.objects.filter(is_active=True).first()
    if version is None:
        return ""
    country = pycountry.countries.get(alpha_3=version.country.upper())
    return country.alpha_2 if country else ""


# The order of an activity's elements in the IATI 2.03 schema.
ORDER = [
    "iati-identifier", "reporting-org", "title", "description", "participating-org",
    "other-identifier", "activity-status", "activity-date", "contact-info", "activity-scope",
    "recipient-country", "recipient-region", "location", "sector", "tag",
    "country-budget-items", "humanitarian-scope", "policy-marker", "collaboration-type",
    "default-flow-type", "default-finance-type", "default-aid-type", "default-tied-status",
    "budget", "planned-disbursement", "capital-spend", "transaction", "document-link",
    "related-activity", "legacy-data", "conditions", "result", "crs-add", "fss",
]  # fmt: skip
NO_DATE = "no date"
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
NO_PUBLISHER = "no publisher"


def _identifier(activity: Activity, reporting_ref: str) -> str:
    if activity.iati.get("reporting_org") and activity.source_id:
        return activity.source_id  # imported from IATI: its own identifier
    return f"{reporting_ref}-KAFO-{activity.pk}"


def _dates(activity: Activity) -> list[tuple[str, object]]:
    return [
        (code, value)
        for code, value in (("1", activity.planned_start), ("2", activity.actual_start),
                            ("3", activity.planned_end), ("4", activity.actual_end))
        if value
    ]  # fmt: skip


def _place(element, child) -> None:
    """Insert `child` where the schema's order puts it among the element's children."""
    rank = ORDER.index(child.tag)
    before = [i for i, c in enumerate(element) if isinstance(c.tag, str)
              and c.tag in ORDER and ORDER.index(c.tag) <= rank]  # fmt: skip
    element.insert(before[-1] + 1 if before else 0, child)


def _transaction(flow):
    transaction = etree.Element("transaction")
    if flow.humanitarian:
        transaction.set("humanitarian", "1")
    etree.SubElement(transaction, "transaction-type", code=flow.type)
    etree.SubElement(transaction, "transaction-date", **{"iso-date": flow.date.isoformat()})
    value_date = (flow.value_date or flow.date).isoformat()
    value = etree.SubElement(transaction, "value", currency=flow.currency,
                             **{"value-date": value_date})  # fmt: skip
    value.text = _amount(flow.amount)
    if flow.description:
        _narrative(transaction, "description", flow.description)
    _org(transaction, "provider-org", flow.provider)
    _org(transaction, "receiver-org", flow.receiver)
    return transaction


def _valid_alone(element) -> bool:
    root = etree.Element("iati-activities", version="2.03")
    root.append(copy.deepcopy(element))
    return schema().validate(etree.ElementTree(root))


def published_element(activity: Activity):
    """An imported activity as its publisher wrote it (hierarchy, budgets, locations,
    sectors, documents, results, languages...), with Kafo's changes where it was edited
    since; None for Kafo's own activities, or when the original is not valid 2.03."""
    xml = activity.iati.get("xml")
    if not xml:
        return None
    element = etree.fromstring(xml.encode("utf-8"))
    imported, now = activity.iati.get("kafo_state") or {}, kafo_state(activity)
    changed = {part for part, digest in now.items() if imported.get(part) != digest}
    if changed:
        _apply_changes(element, activity, changed)
    return element if _valid_alone(element) else None


def _apply_changes(element, activity: Activity, changed: set[str]) -> None:
    """Replace the parts of a published activity that were edited in Kafo."""

    def drop(path: str) -> None:
        for old in element.xpath(path):
            element.remove(old)

    if "title" in changed:
        drop("title")
        _place(element, _narrative(etree.Element("x"), "title", activity.title))
    if "description" in changed:
        drop("description[not(@type) or @type='1']")
        if activity.description:
            description = _narrative(etree.Element("x"), "description", activity.description)
            description.set("type", "1")
            _place(element, description)
    if "status" in changed:
        drop("activity-status")
        _place(element, etree.Element("activity-status",
                                      code=IATI_STATUS.get(activity.status, "2")))  # fmt: skip
    if "dates" in changed:
        drop("activity-date")
        for code, value in reversed(_dates(activity)):
            _place(element, etree.Element("activity-date", type=code,
                                          **{"iso-date": value.isoformat()}))  # fmt: skip
    if "transactions" in changed:
        drop("transaction")
        flows = activity.transactions.select_related("provider", "receiver")
        for flow in flows.order_by("-date", "-pk"):
            _place(element, _transaction(flow))


def _countries(activity: Activity, country: str) -> list[str]:
    """The activity's recipient countries: those of its places' boundaries, else the one
    active country."""
    found = set()
    for unit in activity.locations.all():
        code = pycountry.countries.get(alpha_3=unit.cod_version.country.upper())
        if code:
            found.add(code.alpha_2)
    return sorted(found) or ([country] if country else [])


def activity_element(activity: Activity, country: str, language: str):
    """(One <iati-activity>, None) or (None, why it is left out: NO_DATE or NO_PUBLISHER)."""
    if (published := published_element(activity)) is not None:
        return published, None
    dates = _dates(activity)
    if not dates:
        return None, NO_DATE
    reporting = activity.iati.get("reporting_org") or {}
    platform = publisher()
    reporting_ref = reporting.get("ref") or activity.organisation.iati_identifier or platform["ref"]
    if not reporting_ref:
        return None, NO_PUBLISHER
    element = etree.Element("iati-activity")
    element.set("last-updated-datetime", timezone.now().replace(microsecond=0).isoformat())
    element.set(XML_LANG, language)
    element.set("default-currency", activity.currency or "USD")
    flows = _flows(activity)
    if activity.iati.get("humanitarian") or any(flow.humanitarian for flow in flows):
        element.set("humanitarian", "1")
    etree.SubElement(element, "iati-identifier").text = _identifier(activity, reporting_ref)
    if reporting.get("ref"):
        org = etree.SubElement(element, "reporting-org", ref=reporting["ref"],
                               type=reporting.get("type") or "90")  # fmt: skip
        etree.SubElement(org, "narrative").text = reporting.get("name") or reporting["ref"]
    elif activity.organisation.iati_identifier:
        _org(element, "reporting-org", activity.organisation)
    else:
        org = etree.SubElement(element, "reporting-org", ref=platform["ref"],
                               type=platform["type"], **{"secondary-reporter": "1"})  # fmt: skip
        etree.SubElement(org, "narrative").text = platform["name"]
    _narrative(element, "title", activity.title)
    # IATI 2.03 requires a description: the title stands in when there is none.
    _narrative(element, "description", activity.description or activity.title).set("type", "1")
    participants = list(activity.participants.all())
    if not any(p.organisation_id == activity.organisation_id and p.role == "4"
               for p in participants):  # fmt: skip
        _org(element, "participating-org", activity.organisation, role="4")
    for participant in participants:
        _org(element, "participating-org", participant.organisation, role=participant.role)
    etree.SubElement(element, "activity-status",
                     code=IATI_STATUS.get(activity.status, "2"))  # fmt: skip
    for code, value in dates:
        etree.SubElement(element, "activity-date", type=code, **{"iso-date": value.isoformat()})
    countries = _countries(activity, country)
    for code in countries:
        share = format(Decimal(100) / len(countries), ".2f").rstrip("0").rstrip(".")
        etree.SubElement(element, "recipient-country", code=code, percentage=share)
    for unit in activity.locations.all():
        location = etree.SubElement(element, "location", ref=unit.pcode)
        etree.SubElement(location, "location-reach", code="1")
        _narrative(location, "name", unit.name)
        if unit.label_lat is not None and unit.label_lon is not None:
            point = etree.SubElement(location, "point", srsName=WGS84)
            etree.SubElement(point, "pos").text = f"{unit.label_lat:.5f} {unit.label_lon:.5f}"
        etree.SubElement(location, "exactness", code="2")
        etree.SubElement(location, "location-class", code="1")
    if activity.sector in SECTOR_DAC:
        etree.SubElement(element, "sector", vocabulary="1", code=SECTOR_DAC[activity.sector])
    elif activity.sector in SECTOR_CLUSTER:
        etree.SubElement(element, "sector", vocabulary="10", code=SECTOR_CLUSTER[activity.sector])
    else:
        sector = etree.SubElement(element, "sector", vocabulary="99", code=activity.sector)
        etree.SubElement(sector, "narrative").text = activity.get_sector_display()
    for scope in activity.iati.get("humanitarian_scopes", []):
        if scope.get("type") and scope.get("vocabulary") and scope.get("code"):
            etree.SubElement(element, "humanitarian-scope", type=scope["type"],
                             vocabulary=scope["vocabulary"], code=scope["code"])  # fmt: skip
    if activity.budget is not None and activity.planned_start and activity.planned_end:
        budget = etree.SubElement(element, "budget", type="1", status="1")
        etree.SubElement(budget, "period-start", **{"iso-date": activity.planned_start.isoformat()})
        etree.SubElement(budget, "period-end", **{"iso-date": activity.planned_end.isoformat()})
        value = etree.SubElement(budget, "value", currency=activity.currency or "USD",
                                 **{"value-date": activity.planned_start.isoformat()})  # fmt: skip
        value.text = _amount(activity.budget)
    for flow in flows:
        element.append(_transaction(flow))
    return element, None


def _flows(activity: Activity) -> list:
    """The activity's flows by date (read with the chunk when prefetched)."""
    return sorted(activity.transactions.all(), key=lambda flow: (flow.date, flow.pk))


def _amount(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


# Activities read, checked against the schema and written at a time: the file is written
# in constant memory, whatever the number of activities.
CHUNK = 1000


def _elements(activities, language: str, left_out: dict[str, int]) -> Iterator:
    """Each publishable activity's <iati-activity>, read a chunk at a time with its places,
    participants and flows (a few queries per chunk, none per activity); `left_out`
    counts the others by reason."""
    country = _country_code()
    flows = Transaction.objects.select_related("provider", "receiver").order_by("date", "pk")
    rows = activities.select_related("organisation").prefetch_related(
        "locations__cod_version", "participants__organisation", Prefetch("transactions", flows)
    )
    for activity in rows.iterator(chunk_size=CHUNK):
        element, reason = activity_element(activity, country, language)
        if element is None:
            left_out[reason] = left_out.get(reason, 0) + 1
        else:
            yield element


def _root() -> etree._Element:
    root = etree.Element("iati-activities", version="2.03")
    root.set("generated-datetime", timezone.now().replace(microsecond=0).isoformat())
    return root


def iati_document(activities, *, language: str = "fr") -> tuple[etree._ElementTree, dict[str, int]]:
    """The IATI 2.03 document of these activities, in memory, and how many were left out,
    by reason: NO_DATE (IATI requires one), NO_PUBLISHER (a Kafo activity's identifier
    needs its organisation's or the platform's IATI reference)."""
    left_out: dict[str, int] = {}
    root = _root()
    root.extend(_elements(activities, language, left_out))
    return etree.ElementTree(root), left_out


def write_iati(path: Path | str, activities, *, language: str = "fr") -> tuple[int, dict[str, int]]:
    """Write and validate, a chunk of activities at a time (each chunk is checked against
    the schema as a document of its own before it is written). The file appears only when
    every chunk is valid: it is written beside, then renamed. Returns how many were
    written, and how many left out by reason."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    left_out: dict[str, int] = {}
    elements = _elements(activities, language, left_out)
    written = 0
    try:
        with etree.xmlfile(str(partial), encoding="UTF-8") as out:
            out.write_declaration()
            head = _root()
            with out.element(head.tag, head.attrib):
                out.write("\n")
                while chunk := list(islice(elements, CHUNK)):
                    document = _root()
                    document.extend(chunk)
                    validate(etree.ElementTree(document))
                    for element in document:
                        out.write(element, pretty_print=True)
                    written += len(chunk)
        if not written:
            raise NothingToPublish(left_out)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return written, left_out
