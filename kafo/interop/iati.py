"""Reading IATI activity files as a stream: one activity at a time, its element freed
once read, so a file of any size is read in constant memory.

Pure Python and lxml, no Django. IATI 2.03 is read fully; 2.01, 2.02 and 1.0x on a
best-effort basis (1.0x wrote codes as words and text without <narrative>).
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

from kafo.funding.models import AMOUNT_LIMIT

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# IATI 1.0x words → 2.0x codes.
ROLES_1 = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}
DATE_TYPES_1 = {"start-planned": "1", "start-actual": "2", "end-planned": "3", "end-actual": "4"}
TRANSACTION_TYPES_1 = {
    "if": "1", "c": "2", "d": "3", "e": "4", "ir": "5", "lr": "6", "r": "7", "qp": "8",
    "qs": "9", "cg": "10",
}  # fmt: skip
SECTOR_VOCABULARIES_1 = {"dac": "1", "dac-3": "2", "rs": "99", "ro": "99"}


class IatiError(ValueError):
    """A file that cannot be read as IATI XML; the message says why and where."""


@dataclass
class Problem:
    """Something wrong in one activity: the element, its value and why."""

    element: str
    value: str
    reason: str


@dataclass
class IatiActivity:
    number: int  # its position in the file (1 = first), the "row" of a batch report
    identifier: str
    version: str
    default_currency: str = ""
    humanitarian: bool = False
    hierarchy: str = ""
    reporting_org: dict = field(default_factory=dict)
    title: str = ""
    description: str = ""
    texts: dict[str, list[dict]] = field(default_factory=dict)  # narratives by element
    status: str = ""
    dates: dict[str, str] = field(default_factory=dict)
    participants: list[dict] = field(default_factory=list)
    sectors: list[dict] = field(default_factory=list)
    recipient_countries: list[dict] = field(default_factory=list)
    recipient_regions: list[dict] = field(default_factory=list)
    locations: list[dict] = field(default_factory=list)
    transactions: list[dict] = field(default_factory=list)
    budgets: list[dict] = field(default_factory=list)
    humanitarian_scopes: list[dict] = field(default_factory=list)
    other_identifiers: list[dict] = field(default_factory=list)
    related: list[dict] = field(default_factory=list)  # related-activity: ref and type
    xml: bytes = b""  # the activity as the file writes it, to publish it back unchanged
    problems: list[Problem] = field(default_factory=list)

    def country_share(self, country: str) -> float | None:
        """The share (0 to 1) of the activity for a recipient country: its percentage, or
        all of it when it is the only recipient; None when the file does not say."""
        given = [c for c in self.recipient_countries if c["code"] == country.upper()]
        if not given:
            return None
        if given[0]["percentage"] is not None:
            return given[0]["percentage"] / 100
        alone = len(self.recipient_countries) == 1 and not self.recipient_regions
        return 1.0 if alone else None

    def countries(self) -> set[str]:
        """Recipient countries of the activity and of its transactions."""
        codes = {c["code"] for c in self.recipient_countries}
        codes |= {t["recipient_country"] for t in self.transactions if t.get("recipient_country")}
        return {code.upper() for code in codes if code}


# Signs of text broken by a wrong encoding somewhere upstream ("g�n�rale", "gÃ©nÃ©rale").
BROKEN_TEXT = ("\ufffd", "Ã©", "Ã¨", "Ã", "Â")


def _broken(text: str) -> bool:
    return any(sign in text for sign in BROKEN_TEXT)


def narratives(element) -> list[dict]:
    """Each narrative of the element with its language as written ("" when the file gives
    none), or the element's own text (1.0x)."""
    if element is None:
        return []
    found = [
        {"lang": (n.get(XML_LANG) or "").lower(), "text": " ".join((n.text or "").split())}
        for n in element.findall("narrative")
    ]
    if not found and (text := " ".join((element.text or "").split())):
        found = [{"lang": "", "text": text}]
    return [n for n in found if n["text"]]


def _narrative(element, preferred: str = "fr") -> str:
    """The element's text: the narrative in the preferred language, else the first one
    (2.0x), else the element's own text (1.0x); a narrative with broken characters only
    when there is no other."""
    found = narratives(element)
    clean = [n for n in found if not _broken(n["text"])] or found
    if not clean:
        return ""
    return next((n for n in clean if n["lang"] == preferred), clean[0])["text"]


def _org(element) -> dict:
    if element is None:
        return {}
    return {
        "ref": (element.get("ref") or "").strip(),
        "type": element.get("type") or "",
        "name": _narrative(element),
    }


class _Reader:
    def __init__(self, version: str):
        self.version = version
        self.legacy = version.startswith("1.")

    def date(self, activity: IatiActivity, element, name: str) -> str:
        if element is None:
            return ""
        text = (element.get("iso-date") or element.text or "").strip()[:10]
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            activity.problems.append(Problem(name, text, _("not an ISO date (YYYY-MM-DD)")))
            return ""
        return text

    def amount(self, activity: IatiActivity, element, name: str) -> str:
        text = (element.text or "").strip() if element is not None else ""
        try:
            number = Decimal(text)
        except InvalidOperation:
            activity.problems.append(Problem(name, text, _("not an amount")))
            return ""
        # 13 digits before the point: the 15 significant digits every database keeps.
        if not number.is_finite() or abs(number) >= AMOUNT_LIMIT:
            activity.problems.append(
                Problem(name, text, _("not a finite amount of at most 13 digits"))
            )
            return ""
        return text

    def percentage(self, activity: IatiActivity, element, name: str) -> float | None:
        text = (element.get("percentage") or "").strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not 0 <= value <= 100:
            activity.problems.append(Problem(name, text, _("a percentage is between 0 and 100")))
            return None
        return value

    def activity(self, number: int, element) -> IatiActivity:
        activity = IatiActivity(
            number=number,
            identifier=" ".join((element.findtext("iati-identifier") or "").split()),
            version=self.version,
            default_currency=(element.get("default-currency") or "").upper(),
            humanitarian=element.get("humanitarian") in ("1", "true"),
            hierarchy=element.get("hierarchy") or "",
            reporting_org=_org(element.find("reporting-org")),
            title=_narrative(element.find("title")),
            description=_narrative(element.find("description")),
        )
        activity.texts = {
            "title": narratives(element.find("title")),
            "description": narratives(element.find("description")),
        }
        if not activity.identifier:
            activity.problems.append(Problem("iati-identifier", "", _("the identifier is missing")))
        status = element.find("activity-status")
        activity.status = (status.get("code") or "") if status is not None else ""
        for date in element.findall("activity-date"):
            kind = date.get("type") or ""
            kind = DATE_TYPES_1.get(kind, kind)
            if value := self.date(activity, date, f"activity-date[@type={kind}]"):
                activity.dates[kind] = value
        for org in element.findall("participating-org"):
            role = (org.get("role") or "").strip()
            role = ROLES_1.get(role.lower(), role)
            activity.participants.append({**_org(org), "role": role})
        for sector in element.findall("sector"):
            vocabulary = sector.get("vocabulary") or "1"
            vocabulary = SECTOR_VOCABULARIES_1.get(vocabulary.lower(), vocabulary)
            activity.sectors.append({
                "code": (sector.get("code") or "").strip(), "vocabulary": vocabulary,
                "percentage": self.percentage(activity, sector, "sector"),
                "name": _narrative(sector),
            })  # fmt: skip
        for country in element.findall("recipient-country"):
            activity.recipient_countries.append({
                "code": (country.get("code") or "").upper(),
                "percentage": self.percentage(activity, country, "recipient-country"),
            })  # fmt: skip
        for region in element.findall("recipient-region"):
            activity.recipient_regions.append({
                "code": region.get("code") or "", "vocabulary": region.get("vocabulary") or "1",
                "percentage": self.percentage(activity, region, "recipient-region"),
            })  # fmt: skip
        for location in element.findall("location"):
            activity.locations.append(self.location(activity, location))
        for transaction in element.findall("transaction"):
            activity.transactions.append(self.transaction(activity, transaction))
        for budget in element.findall("budget"):
            value = budget.find("value")
            activity.budgets.append({
                "type": budget.get("type") or "1", "status": budget.get("status") or "1",
                "start": self.date(activity, budget.find("period-start"), "budget/period-start"),
                "end": self.date(activity, budget.find("period-end"), "budget/period-end"),
                "value": self.amount(activity, value, "budget/value"),
                "currency": ((value.get("currency") if value is not None else "")
                             or activity.default_currency).upper(),
            })  # fmt: skip
        for scope in element.findall("humanitarian-scope"):
            activity.humanitarian_scopes.append({
                "type": scope.get("type") or "", "vocabulary": scope.get("vocabulary") or "",
                "code": scope.get("code") or "", "name": _narrative(scope),
            })  # fmt: skip
        for related in element.findall("related-activity"):
            activity.related.append(
                {"ref": (related.get("ref") or "").strip(), "type": related.get("type") or ""}
            )
        for other in element.findall("other-identifier"):
            activity.other_identifiers.append(
                {"ref": other.get("ref") or "", "type": other.get("type") or ""}
            )
        return activity

    def location(self, activity: IatiActivity, element) -> dict:
        place = {"name": _narrative(element.find("name")),
                 "description": _narrative(element.find("description")),
                 "ref": element.get("ref") or ""}  # fmt: skip
        pos = element.findtext("point/pos")
        if pos is None:  # 1.0x: <coordinates latitude=".." longitude="..">
            coordinates = element.find("coordinates")
            if coordinates is not None:
                pos = f"{coordinates.get('latitude', '')} {coordinates.get('longitude', '')}"
        if pos and pos.strip():
            try:
                lat, lon = (float(part) for part in pos.split())
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError
                place["point"] = [lon, lat]
            except ValueError:
                activity.problems.append(
                    Problem("location/point/pos", pos.strip(), _("not a latitude and longitude"))
                )
        place["administrative"] = [
            {"code": a.get("code") or "", "vocabulary": a.get("vocabulary") or "",
             "level": a.get("level") or ""}
            for a in element.findall("administrative")
        ]  # fmt: skip
        return place

    def value_date(self, activity: IatiActivity, value) -> str:
        text = ((value.get("value-date") or "") if value is not None else "").strip()[:10]
        if text:
            try:
                datetime.date.fromisoformat(text)
            except ValueError:
                activity.problems.append(
                    Problem("value/@value-date", text, _("not an ISO date (YYYY-MM-DD)"))
                )
                return ""
        return text

    def transaction(self, activity: IatiActivity, element) -> dict:
        kind = element.find("transaction-type")
        code = (kind.get("code") or "").strip() if kind is not None else ""
        code = TRANSACTION_TYPES_1.get(code.lower(), code)
        value = element.find("value")
        currency = (value.get("currency") if value is not None else "") or ""
        country = element.find("recipient-country")
        value_date = self.value_date(activity, value)
        return {
            "type": code,
            "date": self.date(activity, element.find("transaction-date"), "transaction-date")
            or value_date,
            "value": self.amount(activity, value, "transaction/value"),
            "currency": (currency or activity.default_currency).upper(),
            "value_date": value_date,
            "description": _narrative(element.find("description")),
            "provider": _org(element.find("provider-org")),
            "receiver": _org(element.find("receiver-org")),
            "humanitarian": element.get("humanitarian") in ("1", "true"),
            "recipient_country": (country.get("code") or "").upper() if country is not None
            else "",
        }  # fmt: skip


def iter_activities(
    path: Path | str,
    *,
    country: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[IatiActivity]:
    """Each activity of the file (for one recipient country if given), in file order.

    Raises IatiError for a file that is not well-formed IATI XML, naming the line."""
    path = Path(path)
    total = path.stat().st_size
    if total == 0:
        raise IatiError(_("the file is empty"))
    with path.open("rb") as stream:
        start = stream.read(4)
    if start[:2] in (b"PK", b"\x1f\x8b"):
        raise IatiError(_("a compressed file: unpack it and import the XML file"))
    wanted = country.upper() if country else None
    with path.open("rb") as stream:
        # No DTDs, no entities, no network: a "billion laughs" file is refused, not expanded.
        events = etree.iterparse(
            stream, events=("start", "end"), resolve_entities=False, no_network=True,
            load_dtd=False, huge_tree=False, remove_comments=True, recover=False,
        )  # fmt: skip
        reader = None
        number = 0
        try:
            for event, element in events:
                tag = element.tag if isinstance(element.tag, str) else ""
                if event == "start":
                    if reader is None:
                        if tag != "iati-activities":
                            raise IatiError(
                                _("not an IATI activity file: the root element is <%s>") % tag
                            )
                        reader = _Reader(element.get("version") or "1.0")
                    continue
                if tag != "iati-activity":
                    continue
                number += 1
                activity = reader.activity(number, element)
                activity.xml = etree.tostring(element, encoding="UTF-8")
                # Free what was read: memory stays flat whatever the file's size.
                element.clear()
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
                if progress:
                    progress(stream.tell(), total)
                if wanted and wanted not in activity.countries():
                    continue
                yield activity
        except etree.XMLSyntaxError as error:
            line = error.position[0] if error.position else "?"
            raise IatiError(
                _("broken XML at line %(line)s: %(reason)s") % {"line": line, "reason": error.msg}
            ) from None
    if reader is None:
        raise IatiError(_("the file is empty"))
