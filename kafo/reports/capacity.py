"""The local capacity indicators of a year, on one page: what the national mine action
capacity is, and how much of the work, the money and the coordination national and local
actors hold (the Grand Bargain's categories, kafo.actors).

- Accredited operators per activity on the day (the register), national and local ones
  apart.
- Tasks done by national and local operators: the validated land release activities and
  risk education sessions of the year, by the reporting organisation's category.
- Funding received by national and local actors: the year's disbursements and
  expenditures by their receiver's category and their depth along the chains, as the
  localisation page counts them (kafo.funding.localisation).
- National standards in force: the library's NMAS items that are current.
- The Article 7 report of the year before filed by 30 April (the Ottawa Convention's
  deadline), from the treaty reports.
- Coordination roles: the lead and co-lead roles of the active bodies, and the year's
  meeting attendance, held by national and local actors.

Each share says of how many it is made, and how many were of unknown category."""

import datetime

from django.db.models import Q

from kafo.actors.models import AccreditedActivity, Organisation, valid_accreditations
from kafo.funding.localisation import localisation
from kafo.library.models import ItemStatus, ItemType, LibraryItem
from kafo.meetings.models import Attendance, CoordinationBody
from kafo.meetings.services import LocalShare, attendance_share, co_lead_share
from kafo.mineaction.models import EoreSession, LandReleaseActivity
from kafo.reports.models import Treaty, TreatyReport, TreatyReportStatus

ARTICLE7_DAY = (4, 30)  # reports are due by 30 April for the calendar year before


def _category_of(organisations) -> dict[int, bool | None]:
    """True: national or local; False: not; None: unknown category."""
    return {o.pk: (o.is_national_or_local if o.localisation_category else None)
            for o in organisations}  # fmt: skip


def accredited_operators(day: datetime.date) -> list[dict]:
    """Per activity: the organisations accredited on the day, and the national and local
    ones among them."""
    register = valid_accreditations(day).select_related("organisation")
    rows = []
    for activity, label in AccreditedActivity.choices:
        holders = {a.organisation for a in register if a.activity == activity}
        national = sorted(o.acronym or o.name for o in holders if o.is_national_or_local)
        rows.append({"activity": activity, "label": label, "accredited": len(holders),
                     "national_or_local": len(national), "names": national})  # fmt: skip
    return rows


def task_share(year: int) -> LocalShare:
    """Of the validated land release activities and risk education sessions of the year,
    those reported by national and local operators."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    tasks = list(LandReleaseActivity.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=first), start_date__lte=last,
        validated_at__isnull=False).values_list("organisation_id", flat=True))  # fmt: skip
    tasks += list(EoreSession.objects.filter(date__range=(first, last), validated_at__isnull=False)
                  .values_list("organisation_id", flat=True))  # fmt: skip
    category = _category_of(Organisation.objects.filter(pk__in=set(tasks)))
    known = [bool(category[o]) for o in tasks if category[o] is not None]
    return LocalShare(sum(known), len(known), len(tasks) - len(known))


def funding_share(year: int) -> dict:
    """The year's money received by national and local actors, by depth along the chains
    (kafo.funding.localisation), and how many flows wait for a rate."""
    figures = localisation(year)
    return {"totals": figures["overall"], "pending": figures["pending"]}


def national_standards() -> list[LibraryItem]:
    """The national standards (NMAS) in force, from the library."""
    return list(LibraryItem.objects.filter(item_type=ItemType.NMAS, status=ItemStatus.CURRENT)
                .order_by("imas_reference", "title"))  # fmt: skip


def article7_on_time(year: int) -> dict:
    """The Ottawa Convention's Article 7 report on the year before `year`: due by 30 April
    of `year`; whether it was submitted, when, and whether on time."""
    due = datetime.date(year, *ARTICLE7_DAY)
    report = TreatyReport.objects.filter(treaty=Treaty.APMBC, year=year - 1).first()
    submitted = (report.submitted_at.date() if report and report.submitted_at
                 and report.status == TreatyReportStatus.SUBMITTED else None)  # fmt: skip
    return {"covers": year - 1, "due": due, "submitted": submitted,
            "on_time": submitted is not None and submitted <= due}  # fmt: skip


def coordination_roles(year: int) -> dict[str, LocalShare]:
    attendance = Attendance.objects.filter(meeting__starts_at__year=year)
    return {"leads": co_lead_share(CoordinationBody.objects.all()),
            "attendance": attendance_share(attendance)}  # fmt: skip


def capacity_indicators(year: int, today: datetime.date) -> dict:
    """Every indicator of the year (the register read on `today`, or on 31 December of a
    past year)."""
    day = min(today, datetime.date(year, 12, 31))
    return {
        "year": year, "day": day,
        "accredited": accredited_operators(day),
        "tasks": task_share(year),
        "funding": funding_share(year),
        "standards": national_standards(),
        "article7": article7_on_time(year),
        **coordination_roles(year),
    }  # fmt: skip
