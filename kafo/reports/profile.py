"""A country profile in the sections of a Landmine Monitor profile, for a year, from the
records: treaty status, management and coordination, the impact (contamination,
casualties, the regions), and addressing it (land release, risk education, victim
assistance). Each section is rows of (label, value, link to the records behind it);
a section with no record says so."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from kafo.actors.models import Organisation, OrganisationType
from kafo.commitments.models import CommitmentFramework, CommitmentFrameworkKind
from kafo.geo.models import AdminUnit
from kafo.mineaction import figures
from kafo.mineaction import vocabularies as v
from kafo.mineaction.models import Hazard
from kafo.numbers import whole
from kafo.reports.models import TreatyReport, TreatyReportStatus
from kafo.response.sharing.models import Resource

OPEN = ",".join(status for status in v.HazardStatus.values if status != v.HazardStatus.CLOSED)


def _list(kind: str, **params: str) -> str:
    url = reverse("mineaction:list", args=[kind])
    return f"{url}?{urlencode(params)}" if params else url


def _section(title: str, rows: list[tuple[str, str, str]], empty: str = "") -> dict[str, Any]:
    return {"title": title, "rows": rows, "empty": empty if not rows else ""}


def treaty_status(year: int) -> dict[str, Any]:
    """The treaties among the commitments (status, deadlines such as Article 5's) and the
    Article 7 reports submitted from Kafo."""
    rows = []
    treaties = CommitmentFramework.objects.filter(kind=CommitmentFrameworkKind.TREATY)
    for framework in treaties.prefetch_related("commitments").order_by("name"):
        rows.append((framework.name, framework.get_status_display(),
                     reverse("commitments:framework", args=[framework.pk])))  # fmt: skip
        for commitment in framework.commitments.filter(deadline__isnull=False, draft=False):
            deadline = formats.date_format(commitment.deadline or datetime.date(year, 12, 31),
                                           "SHORT_DATE_FORMAT")  # fmt: skip
            rows.append((f"{framework.name} · {commitment.reference}",
                         _("deadline %(date)s") % {"date": deadline},
                         reverse("commitments:framework", args=[framework.pk])))  # fmt: skip
    reports = TreatyReport.objects.filter(status=TreatyReportStatus.SUBMITTED, year__lte=year)
    for report in reports.order_by("treaty", "year"):
        rows.append((_("Article 7 report %(year)s (%(treaty)s)") % {
            "year": report.year, "treaty": report.get_treaty_display()},
            _("submitted %(date)s") % {"date": formats.date_format(
                report.submitted_at, "SHORT_DATE_FORMAT") if report.submitted_at else "—"},
            reverse("reports:article7", args=[report.treaty, report.year])))  # fmt: skip
    nothing = _("No treaty among the commitments and no report submitted from Kafo.")
    return _section(_("Treaty status"), rows, nothing)


def management(year: int) -> dict[str, Any]:
    """The organisations by type, and the teams accredited at the year's end."""
    rows = []
    by_type = dict(Organisation.objects.values_list("type").annotate(n=Count("id")).order_by())
    for code, label in OrganisationType.choices:
        if by_type.get(code):
            rows.append((str(label), whole(by_type[code]), reverse("actors:list")))
    end = datetime.date(year, 12, 31)
    accredited = Resource.objects.exclude(accreditation="").filter(
        Q(accredited_until__isnull=True) | Q(accredited_until__gte=end)
    )
    if count := accredited.count():
        rows.append((_("Teams and assets accredited on 31 December"), whole(count),
                     reverse("response:sharing_board")))  # fmt: skip
    section = _section(_("Management and coordination"), rows)
    section["note"] = _("Coordination meetings are not recorded in Kafo yet.")
    return section


def impact(year: int) -> dict[str, Any]:
    """Contamination by hazard type (open hazards, their number and area: estimated,
    remaining), casualties of the year by outcome, sex, age and status, and the regions."""
    rows = []
    open_hazards = Hazard.objects.exclude(status=v.HazardStatus.CLOSED)
    by_class = (open_hazards.values("classification")
                .annotate(n=Count("id"), estimated=Sum("estimated_area_m2"),
                          remaining=Sum("remaining_area_m2"))
                .order_by("classification"))  # fmt: skip
    labels = dict(v.HazardClassification.choices)
    for row in by_class:
        rows.append((_("%(type)s: open hazards · area reported (m²) · remaining (m²)") % {
            "type": labels.get(row["classification"], row["classification"])},
            f"{whole(row['n'])} · {whole(row['estimated'] or 0)} · "
            f"{whole(row['remaining'] or 0)}",
            _list("hazard", classification=row["classification"], status=OPEN)))  # fmt: skip
    every_year = figures.casualties()
    for shown in range(year - 4, year):  # the four years before, as a profile's table
        if counted := every_year.get(str(shown)):
            of_year = _list("accident", start=f"{shown}-01-01", end=f"{shown}-12-31")
            rows.append((_("Casualties in %(year)s (killed · injured)") % {"year": shown},
                         f"{whole(counted['killed'])} · {whole(counted['injured'])}",
                         of_year))  # fmt: skip
    casualties = every_year.get(str(year))
    accidents = _list("accident", start=f"{year}-01-01", end=f"{year}-12-31")
    if casualties:
        rows.append((_("Casualties in %(year)s (killed · injured)") % {"year": year},
                     f"{whole(casualties['killed'])} · {whole(casualties['injured'])}",
                     accidents))  # fmt: skip
        sexes = casualties["sex"]
        rows.append((_("… women and girls · men and boys · unknown"),
                     " · ".join(whole(sexes.get(k, 0)) for k in ("female", "male", "unknown")),
                     accidents))  # fmt: skip
        ages = casualties["age"]
        rows.append((_("… children · adults · age unknown"),
                     " · ".join(whole(ages.get(k, 0)) for k in ("child", "adult", "unknown")),
                     accidents))  # fmt: skip
        statuses = casualties["status"]
        kinds = ("civilian", "military", "deminer")
        rows.append(
            (
                _("… civilians · military and security forces · deminers"),
                " · ".join(whole(statuses.get(k, 0)) for k in kinds),
                accidents,
            )
        )
    regions = list(AdminUnit.objects.active().filter(level=1).order_by("name"))
    pcodes = [r.pcode for r in regions]
    by_region = figures.casualties_by_unit(pcodes, year)
    area = figures.remaining_area_by_unit(pcodes)
    for region in regions:
        if by_region[region.pcode] or area[region.pcode]:
            rows.append((region.name, _("%(casualties)s casualties · %(area)s m² remaining") % {
                "casualties": whole(by_region[region.pcode]),
                "area": whole(area[region.pcode])},
                _list("hazard", pcode=region.pcode, status=OPEN)))  # fmt: skip
    return _section(_("Impact"), rows, _("No validated hazard or casualty."))


def addressing(year: int) -> dict[str, Any]:
    """Land release, risk education and victim assistance of the year."""
    rows = []
    released = figures.released_area_m2(year=year).get(str(year))
    window = {"start": f"{year}-01-01", "end": f"{year}-12-31"}
    if released:
        rows.append((_("Land released (m²): cancelled · reduced · cleared"),
                     " · ".join(whole(released[k]) for k in ("cancelled", "reduced", "cleared")),
                     _list("activity", **window)))  # fmt: skip
    reached = figures.eore_beneficiaries(year=year).get(str(year))
    if reached:
        rows.append((_("Risk education: sessions · people reached"),
                     f"{whole(reached['sessions'])} · {whole(reached['total'])}",
                     _list("eore", **window)))  # fmt: skip
        rows.append((_("… girls · boys · women · men"),
                     " · ".join(whole(reached[k]) for k in ("girls", "boys", "women", "men")),
                     _list("eore", **window)))  # fmt: skip
    delivered = figures.assistance(year=year).get(str(year))
    if delivered:
        services = dict(v.AssistanceService.choices)
        for service, n in sorted(delivered["services"].items()):
            rows.append((_("Victim assistance: %(service)s") % {
                "service": services.get(service, service)}, whole(n),
                _list("assistance", **window)))  # fmt: skip
    nothing = _("No validated land release, risk education or assistance in this year.")
    return _section(_("Addressing the impact"), rows, nothing)


def build(year: int) -> list[dict[str, Any]]:
    """The profile's sections for the year."""
    return [treaty_status(year), management(year), impact(year), addressing(year)]


def title(year: int) -> tuple[str, str]:
    """The profile's title and subtitle."""
    from kafo.reports.documents import country_name

    heading = _("%(country)s: mine action country profile %(year)s") % {
        "country": country_name(),
        "year": year,
    }
    return heading, _("From Kafo's validated records, in the sections of a Landmine Monitor "
                      "profile.")  # fmt: skip


def document(year: int, kind: str) -> bytes:
    """The profile as `docx` or `pdf`."""
    from kafo.reports import documents

    heading, subtitle = title(year)
    sections = build(year)
    if kind == "docx":
        return documents.sections_word(heading, subtitle, sections)
    return documents.sections_pdf(heading, subtitle, sections)
