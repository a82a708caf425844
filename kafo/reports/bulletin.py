"""The monthly bulletin: OCHA's snapshot for mine action, on one or two A4 pages, from the
validated records. Key figures of the month and of the year so far against the same
periods of last year; a map of casualties by region and one of the open hazards; the
casualties of 24 months; the community alerts answered in time; sources and date.

Two editions. The national one (the coordination and partners) gives exact figures. The
public one (the public, donors) goes through the disclosure layer: counts of casualties,
accidents and alerts from 1 to 4 are "<5" (the months and regions as breakdowns), and
the hazards are drawn at a tenth of a degree (about 11 km), never at their exact place;
no accident is placed at all."""

import datetime
from collections import Counter
from typing import Any

from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kafo.charts import choropleth
from kafo.communities.models import Alert
from kafo.geo.models import AdminUnit
from kafo.mineaction import figures
from kafo.mineaction.charts import casualties_per_month
from kafo.mineaction.models import (
    Accident,
    Assistance,
    EoreSession,
    Hazard,
    LandReleaseActivity,
    Victim,
)
from kafo.mineaction.vocabularies import HazardStatus, ReferralStatus
from kafo.numbers import colon, whole
from kafo.security.suppression import suppress, suppress_breakdown

NATIONAL, PUBLIC = "national", "public"
ANSWERED_WITHIN_HOURS = 72


def month_range(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first day of the month and the first day after it."""
    first = month.replace(day=1)
    after = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, after


def _period_figures(start: datetime.date, after: datetime.date) -> dict[str, Any]:
    """The figures of a period [start, after)."""
    victims = Victim.objects.filter(accident__date__gte=start, accident__date__lt=after)
    outcomes = dict(victims.values_list("outcome").annotate(n=Count("id")).order_by())
    activities = LandReleaseActivity.objects.annotate(when=Coalesce("end_date", "start_date"))
    released = activities.filter(when__gte=start, when__lt=after).aggregate(
        total=Sum(F("area_cancelled_m2") + F("area_reduced_m2") + F("area_cleared_m2"))
    )["total"]  # fmt: skip
    bands = ("girls_5_12", "boys_5_12", "girls_13_17", "boys_13_17", "women", "men")
    reached = EoreSession.objects.filter(date__gte=start, date__lt=after).aggregate(
        **{band: Sum(band) for band in bands})  # fmt: skip
    services = Assistance.objects.filter(
        date__gte=start, date__lt=after,
        referral_status__in=[ReferralStatus.RECEIVED, ReferralStatus.COMPLETED],
    ).count()  # fmt: skip
    return {
        "casualties": sum(outcomes.values()), "killed": outcomes.get("killed", 0),
        "injured": outcomes.get("injured", 0),
        "accidents": Accident.objects.filter(date__gte=start, date__lt=after).count(),
        "released_m2": round(released or 0),
        "reached": sum(value or 0 for value in reached.values()), "services": services,
    }  # fmt: skip


def _alerts(start: datetime.date, after: datetime.date) -> dict[str, int]:
    """Community alerts received in the period, and those answered within 72 hours."""
    alerts = Alert.objects.filter(reported_at__date__gte=start, reported_at__date__lt=after)
    in_time = alerts.filter(outcome_at__isnull=False,
                            outcome_at__lte=F("reported_at") + datetime.timedelta(
                                hours=ANSWERED_WITHIN_HOURS))  # fmt: skip
    return {"received": alerts.count(), "answered_in_time": in_time.count()}


def content(month: datetime.date, edition: str = NATIONAL) -> dict[str, Any]:
    """The bulletin of a month, as figures, rows and SVG: what the PDF and the page show."""
    first, after = month_range(month)
    year_start = first.replace(month=1)
    last_year = (first.replace(year=first.year - 1), after.replace(year=after.year - 1),
                 year_start.replace(year=year_start.year - 1))  # fmt: skip
    public = edition == PUBLIC
    periods: dict[str, dict[str, Any]] = {
        "month": _period_figures(first, after),
        "month_last_year": _period_figures(last_year[0], last_year[1]),
        "year": _period_figures(year_start, after),
        "year_last_year": _period_figures(last_year[2], last_year[1]),
    }
    alerts: dict[str, Any] = _alerts(first, after)
    if public:
        for figures_ in periods.values():
            for key in ("casualties", "killed", "injured", "accidents"):
                figures_[key] = suppress(int(figures_[key]))
        alerts = {key: suppress(value) for key, value in alerts.items()}
    open_hazards = Hazard.objects.exclude(status=HazardStatus.CLOSED)
    regions = list(AdminUnit.objects.active().filter(level=1).order_by("name"))
    year_by_region = _casualties_by_region(regions, year_start, after)
    shown_by_region: dict[str, Any] = dict(year_by_region)
    if public:
        shown_by_region = suppress_breakdown(year_by_region)
    points = list(open_hazards.values_list("longitude", "latitude"))
    if public:  # a tenth of a degree: where, not exactly where
        points = sorted({(round(lon, 1), round(lat, 1)) for lon, lat in points})
    import shapely

    # The simplified boundaries the maps already draw (the full ones are for analyses).
    shapes = [(r.name, shapely.from_geojson(r.display_geojson) if r.display_geojson
               else r.shape, shown_by_region[r.pcode]) for r in regions]  # fmt: skip
    shapes = [(name, shape, value) for name, shape, value in shapes if shape is not None]
    month_name = formats.date_format(first, "YEAR_MONTH_FORMAT")
    return {
        "month": first, "month_name": month_name, "edition": edition,
        "made_at": timezone.localtime(), "periods": periods, "alerts": alerts,
        "open_hazards": open_hazards.count(),
        "remaining_m2": round(open_hazards.aggregate(total=Sum("remaining_area_m2"))["total"]
                              or 0),
        "map_casualties": choropleth(
            shapes, _("Casualties by region, %(year)s to date") % {"year": first.year},
            number=whole, hidden_label=_("1 to 4 (not shown exactly)"), colon=colon()),
        "map_hazards": choropleth(
            [(name, shape, 0) for name, shape, _value in shapes], _("Open hazards"),
            points=points, point_label=_("open hazard") if not public
            else _("open hazards (to 0.1°)"), colon=colon()),
        "chart_months": casualties_per_month(after - datetime.timedelta(days=1), not public),
        "coordination": coordination_lines(first, after),
    }  # fmt: skip


def coordination_lines(first: datetime.date, after: datetime.date) -> list[str]:
    """Land release against the adopted joint plan of the month, the plan's answers, and
    the gaps of the month's analysis (mine action, by cercle), as sentences."""
    from kafo.coordination.models import AssignmentAnswer, JointPlan, PlanStatus
    from kafo.coordination.options import Unavailable
    from kafo.coordination.registry import ANALYSES

    lines = []
    plan = (JointPlan.objects.filter(status=PlanStatus.ADOPTED, assignments__month__gte=first,
                                     assignments__month__lt=after)
            .order_by("-updated_at").distinct().first())  # fmt: skip
    if plan is None:
        lines.append(_("No adopted joint plan covers this month."))
    else:
        planned = plan.assignments.filter(month__gte=first, month__lt=after,
                                          hazard__isnull=False)  # fmt: skip
        hazards = set(planned.values_list("hazard_id", flat=True))
        worked = (LandReleaseActivity.objects.annotate(when=Coalesce("end_date", "start_date"))
                  .filter(when__gte=first, when__lt=after, hazard_id__in=hazards))  # fmt: skip
        released = worked.aggregate(total=Sum(F("area_cancelled_m2") + F("area_reduced_m2")
                                               + F("area_cleared_m2")))["total"]  # fmt: skip
        lines.append(_("Joint plan “%(plan)s”: %(planned)s hazards planned for land release "
                       "this month, %(worked)s with an activity recorded; %(area)s m² released "
                       "on them.") % {
            "plan": plan.name, "planned": whole(len(hazards)),
            "worked": whole(len(set(worked.values_list("hazard_id", flat=True)))),
            "area": whole(released or 0)})  # fmt: skip
        answers = dict(plan.assignments.values_list("answer").annotate(n=Count("id")).order_by())
        lines.append(_("Its assignments: %(accepted)s accepted, %(declined)s declined, "
                       "%(pending)s awaiting an answer.") % {
            "accepted": whole(answers.get(AssignmentAnswer.ACCEPTED, 0)),
            "declined": whole(answers.get(AssignmentAnswer.DECLINED, 0)),
            "pending": whole(answers.get(AssignmentAnswer.PENDING, 0))})  # fmt: skip
    gaps = ANALYSES["gaps"]
    try:
        options = gaps.read({"level": "2", "sector": "PRO-MIN", "start": first.isoformat(),
                             "end": (after - datetime.timedelta(days=1)).isoformat()})  # fmt: skip
        units = gaps.run(options)["units"]
    except (ValueError, Unavailable) as error:
        lines.append(_("The gaps could not be computed: %(why)s") % {"why": error})
        return lines
    classes = Counter(unit["class"] for unit in units)
    lines.append(_("Gaps of the month (mine action, by cercle): %(none)s cercles in need with "
                   "no activity, %(below)s below target, %(on_track)s on track.") % {
        "none": whole(classes["no_presence"]), "below": whole(classes["below_target"]),
        "on_track": whole(classes["on_track"])})  # fmt: skip
    return lines


def _casualties_by_region(regions: list[AdminUnit], start: datetime.date,
                          after: datetime.date) -> dict[str, int]:  # fmt: skip
    """Casualties of the period under each region (by the accident's admin unit)."""
    counted = dict(
        Victim.objects.filter(accident__date__gte=start, accident__date__lt=after)
        .values_list("accident__admin_unit__pcode").annotate(n=Count("id")).order_by()
    )  # fmt: skip
    return figures.count_under({p or "": n for p, n in counted.items()}, [r.pcode for r in regions])


def key_figures(made: dict[str, Any]) -> list[list[str]]:
    """The key figures' table: what, the month, last year's month, the year so far, and
    last year's same months (as text, "<5" where the edition hides it)."""
    labels = [("casualties", _("Casualties")), ("killed", _("Killed")), ("injured", _("Injured")),
              ("accidents", _("Accidents")), ("released_m2", _("Area released (m²)")),
              ("reached", _("People reached by risk education")),
              ("services", _("Services delivered to victims"))]  # fmt: skip
    periods = made["periods"]

    def said(value) -> str:
        return value if isinstance(value, str) else whole(value or 0)

    return [[str(label), said(periods["month"][key]), said(periods["month_last_year"][key]),
             said(periods["year"][key]), said(periods["year_last_year"][key])]
            for key, label in labels]  # fmt: skip


def pdf(month: datetime.date, edition: str = NATIONAL) -> bytes:
    """The bulletin as a PDF (A4), typeset by Typst with Kafo's fonts only."""
    import json

    import typst
    from django.utils.translation import get_language

    from kafo.reports.documents import FONTS, HERE

    made = content(month, edition)
    alerts = made["alerts"]
    data = {
        "title": _("Mine action bulletin · %(month)s") % {"month": made["month_name"]},
        "edition": _("Public edition") if edition == PUBLIC else _("National edition"),
        "made": _("Validated records as of %(date)s") % {
            "date": formats.date_format(made["made_at"], "SHORT_DATETIME_FORMAT")},
        "sources": _("Source: Kafo, validated records of the national mine action authority "
                     "and its partners."),
        "lang": (get_language() or "fr")[:2],
        "key_header": [_("Key figures"), made["month_name"],
                       _("same month, %(year)s") % {"year": made["month"].year - 1},
                       _("%(year)s to date") % {"year": made["month"].year},
                       _("same months, %(year)s") % {"year": made["month"].year - 1}],
        "key_rows": key_figures(made),
        "map_casualties_title": _("Casualties by region, %(year)s to date")
        % {"year": made["month"].year},
        "map_casualties": made["map_casualties"], "map_hazards_title": _("Open hazards"),
        "map_hazards": made["map_hazards"], "chart_months": made["chart_months"],
        "hazards_line": _("%(n)s open hazards, %(area)s m² still to release.") % {
            "n": whole(made["open_hazards"]), "area": whole(made["remaining_m2"])},
        "coordination": made["coordination"],
        "alerts_line": _("Community alerts of the month: %(received)s received, %(in_time)s "
                         "answered within 72 hours.") % {
            "received": alerts["received"], "in_time": alerts["answered_in_time"]},
    }  # fmt: skip
    return typst.compile(str(HERE / "typst" / "bulletin.typ"), font_paths=[str(FONTS)],
                         ignore_system_fonts=True, format="pdf",
                         sys_inputs={"data": json.dumps(data, ensure_ascii=False)})  # fmt: skip
