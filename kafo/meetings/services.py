"""What the meeting pages compute: attendance lists read from a file, the action-point
figures, the share of national and local actors, and meetings as calendar events."""

import csv
import datetime
import io
import statistics
from dataclasses import dataclass
from zipfile import BadZipFile

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kafo.actors.matching import OrganisationMatcher
from kafo.actors.models import Organisation
from kafo.meetings.models import (
    ActionStatus,
    Attendance,
    AttendanceRole,
    Meeting,
)

# Column names an attendance sheet may use, in French or English (lower case, no accent).
COLUMNS = {
    "name": ("name", "nom", "nom et prenom", "nom complet", "participant"),
    "organisation": ("organisation", "organization", "structure", "org"),
    "sex": ("sex", "sexe", "genre", "gender"),
    "role": ("role", "fonction dans la reunion"),
    "remote": ("remote", "a distance", "en ligne", "mode"),
}
SEX_WORDS = {"f": "f", "femme": "f", "female": "f", "feminin": "f", "m": "m", "h": "m",
             "homme": "m", "male": "m", "masculin": "m", "": ""}  # fmt: skip
YES_WORDS = {"oui", "yes", "1", "true", "vrai", "a distance", "en ligne", "remote", "distance"}
NO_WORDS = {"non", "no", "0", "false", "faux", "", "present", "presentiel", "sur place"}
MAX_ROWS = 2000


def _plain(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("_", " ").split())


def _role(text: str) -> str | None:
    plain = _plain(text)
    if not plain:
        return AttendanceRole.PARTICIPANT
    for value, label in AttendanceRole.choices:
        if plain in (value.replace("_", " "), _plain(str(label))):
            return value
    french = {"president": "chair", "presidente": "chair", "co-president": "co_chair",
              "secretaire": "secretary", "observateur": "observer",
              "observatrice": "observer"}  # fmt: skip
    return french.get(plain)


def read_sheet(name: str, content: bytes) -> list[list[str]]:
    """The rows of a CSV (UTF-8, `,` or `;`) or an XLSX sheet (the first, or `attendance`)."""
    if name.lower().endswith(".xlsx"):
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book["attendance"] if "attendance" in book.sheetnames else book.worksheets[0]
        rows = [["" if v is None else str(v).strip() for v in row]
                for row in sheet.iter_rows(values_only=True)]  # fmt: skip
        book.close()
        return rows
    text = content.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


@dataclass
class SheetResult:
    created: int
    errors: list[str]


def import_attendance(meeting: Meeting, name: str, content: bytes) -> SheetResult:
    """An attendance list from a file, whole or not at all: each row checked (a name; a
    sex, role and mode Kafo reads), organisations recognised by name or acronym (kept as
    written too). A person already listed for the meeting is not listed twice."""
    try:
        rows = read_sheet(name, content)
    except (UnicodeDecodeError, csv.Error, ValueError, KeyError, OSError, BadZipFile) as error:
        return SheetResult(
            0, [_("%(file)s cannot be read: %(error)s") % {"file": name, "error": error}]
        )
    rows = [row for row in rows if any(row)]
    if not rows:
        return SheetResult(0, [_("%s is empty.") % name])
    header = [_plain(cell) for cell in rows[0]]
    where = {key: next((i for i, cell in enumerate(header) if cell in names), None)
             for key, names in COLUMNS.items()}  # fmt: skip
    if where["name"] is None:
        return SheetResult(0, [_("No column of names: the first row must name one (nom, name).")])
    if len(rows) - 1 > MAX_ROWS:
        return SheetResult(
            0,
            [
                _("%(n)s people: a list holds at most %(max)s.")
                % {"n": len(rows) - 1, "max": MAX_ROWS}
            ],
        )
    matcher = OrganisationMatcher.from_queryset(Organisation.objects.all())
    known = set(meeting.attendance.values_list("name", "organisation_name"))
    people, errors = [], []
    for number, row in enumerate(rows[1:], start=2):

        def cell(key, row=row):
            i = where[key]
            return row[i].strip() if i is not None and i < len(row) else ""

        person, org_name = cell("name"), cell("organisation")
        sex, role, mode = (
            SEX_WORDS.get(_plain(cell("sex"))),
            _role(cell("role")),
            _plain(cell("remote")),
        )
        problems = []
        if not person:
            problems.append(_("no name"))
        if sex is None:
            problems.append(_("sex %s is neither F nor M") % cell("sex"))
        if role is None:
            problems.append(_("role %s is not one Kafo knows") % cell("role"))
        if mode not in YES_WORDS | NO_WORDS:
            problems.append(_("%s: say present or remote") % cell("remote"))
        if problems:
            errors.append(
                _("row %(n)s: %(problems)s") % {"n": number, "problems": "; ".join(problems)}
            )
            continue
        if (person, org_name) in known:
            continue
        known.add((person, org_name))
        match = matcher.match(org_name) if org_name else None
        people.append(Attendance(
            meeting=meeting, name=person, organisation_name=org_name,
            organisation_id=match.organisation_id if match and match.certain else None,
            sex=sex or "", role=role or AttendanceRole.PARTICIPANT, remote=mode in YES_WORDS,
        ))  # fmt: skip
    if errors:
        return SheetResult(0, errors)
    with transaction.atomic():
        Attendance.objects.bulk_create(people)
    return SheetResult(len(people), [])


@dataclass
class ActionFigures:
    due: int
    done_when_due: int
    completion_rate: float | None
    median_delay_days: float | None
    overdue: int


def action_figures(actions, today: datetime.date | None = None) -> ActionFigures:
    """Of the action points due by today (dropped ones aside): how many were done, as a
    share; the median delay of those done (days after the deadline, negative when
    early); how many are still open past their deadline."""
    today = today or timezone.localdate()
    due = [a for a in actions if a.status != ActionStatus.DROPPED and a.deadline <= today]
    done = [a for a in due if a.status == ActionStatus.DONE]
    delays = [(a.done_on - a.deadline).days for a in actions
              if a.status == ActionStatus.DONE and a.done_on]  # fmt: skip
    return ActionFigures(
        due=len(due), done_when_due=len(done),
        completion_rate=len(done) / len(due) if due else None,
        median_delay_days=statistics.median(delays) if delays else None,
        overdue=sum(a.is_overdue(today) for a in actions),
    )  # fmt: skip


@dataclass
class LocalShare:
    national_or_local: int
    known: int
    unknown: int

    @property
    def share(self) -> float | None:
        return self.national_or_local / self.known if self.known else None


def attendance_share(attendance) -> LocalShare:
    """Of the people at meetings whose organisation's category is known, the share from
    national and local actors (the Grand Bargain's)."""
    rows = list(attendance.select_related("organisation"))
    categorised = [a for a in rows if a.organisation and a.organisation.localisation_category]
    local = sum(a.organisation.is_national_or_local for a in categorised)
    return LocalShare(local, len(categorised), len(rows) - len(categorised))


def co_lead_share(bodies) -> LocalShare:
    """Of the lead and co-lead roles of the active bodies, the share held by national and
    local actors."""
    holders = []
    for body in bodies.filter(active=True).select_related("lead").prefetch_related("co_leads"):
        holders += ([body.lead] if body.lead else []) + list(body.co_leads.all())
    categorised = [o for o in holders if o.localisation_category]
    return LocalShare(sum(o.is_national_or_local for o in categorised), len(categorised),
                      len(holders) - len(categorised))  # fmt: skip


def calendar(meetings, url_of) -> bytes:
    """Meetings as an iCalendar file (RFC 5545), each with its place, agenda and page."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Kafo//meetings//FR")
    cal.add("version", "2.0")
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@kafo")
        event.add("summary", f"{meeting.body} · {meeting.title}")
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("dtstamp", meeting.created_at)
        if meeting.place:
            event.add("location", meeting.place)
        event.add("description", "\n".join(filter(None, [meeting.agenda, url_of(meeting)])))
        event.add("url", url_of(meeting))
        cal.add_component(event)
    return cal.to_ical()
