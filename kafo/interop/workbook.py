"""XLSX templates partners fill in: a header row in their language, the HXL hashtag row
under it, and drop-down lists of the values Kafo accepts (on a hidden sheet)."""

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kafo.actors.models import Organisation, OrganisationType
from kafo.geo.models import AdminUnit
from kafo.mineaction import vocabularies as v
from kafo.response.catalogue import ActivityType, Sector
from kafo.response.hxl import PEOPLE_TAGS
from kafo.response.models import ActivityStatus

# Rows a template's lists and checks cover.
TEMPLATE_ROWS = 2000


@dataclass(frozen=True)
class Column:
    hashtag: str
    label: str
    choices: list[str] | None = None  # a drop-down list
    number: bool = False  # a whole number, 0 or more
    note: str = ""
    several: bool = False  # several values of the list, separated by ";"


def _labels(choices) -> list[str]:
    return [str(label) for code, label in choices if code not in ("", None)]


def _codes(choices) -> list[str]:
    return [str(code) for code, _label in choices if code not in ("", None)]


def _admin_names(level: int) -> list[str]:

    return sorted(
        set(AdminUnit.objects.active().filter(level=level).values_list("name", flat=True))
    )


def _organisation_names() -> list[str]:

    return list(Organisation.objects.order_by("name").values_list("name", flat=True))


def _people(stage: str) -> list[Column]:
    labels = {
        "targeted": (_("Girls targeted"), _("Boys targeted"), _("Women targeted"),
                     _("Men targeted")),
        "reached": (_("Girls reached"), _("Boys reached"), _("Women reached"), _("Men reached")),
    }[stage]  # fmt: skip
    groups = ("girls", "boys", "women", "men")
    return [
        Column(PEOPLE_TAGS[f"{stage}_{group}"], label, number=True)
        for group, label in zip(groups, labels, strict=True)
    ]


def template_columns(kind: str) -> list[Column]:
    """The columns of a kind's template, with their lists."""

    where = [
        Column("#adm1+name", _("Region"), _admin_names(1)),
        Column("#adm2+name", _("Cercle (district)"), _admin_names(2)),
        Column("#adm3+code", _("Commune p-code"), note=_("optional, e.g. ML050101")),
    ]
    organisations = _organisation_names()
    if kind == "activities":
        return [
            Column("#meta+id", _("Your identifier"), note=_("unique in your organisation")),
            Column("#org+impl", _("Implementing organisation"), organisations),
            Column("#org+funder", _("Funding organisation"), organisations),
            Column("#sector", _("Sector"), _codes(Sector.choices)),
            Column("#activity+type", _("Activity type"), _codes(ActivityType.choices)),
            Column("#activity+name", _("Title")),
            Column("#status", _("Status"), _labels(ActivityStatus.choices)),
            *where,
            Column("#date+start", _("Start"), note="YYYY-MM-DD"),
            Column("#date+end", _("End"), note="YYYY-MM-DD"),
            *_people("targeted"),
            *_people("reached"),
            Column("#value", _("Budget"), number=True),
            Column("#currency", _("Currency"), ["XOF", "EUR", "USD", "GBP", "CHF"]),
        ]
    if kind == "hazards":
        return [
            Column("#meta+id", _("Your identifier")),
            Column("#loc+name", _("Name of the area")),
            Column("#loc+type", _("Classification"), _labels(v.HazardClassification.choices)),
            Column("#status", _("Status"), _labels(v.HazardStatus.choices)),
            Column("#geo+lon", _("Longitude"), note=_("decimal degrees, WGS 84")),
            Column("#geo+lat", _("Latitude"), note=_("decimal degrees, WGS 84")),
            Column("#geo+wkt", _("Polygon (WKT)"), note=_("optional, e.g. from QGIS")),
            Column("#indicator+contamination", _("Contamination"),
                   _labels(v.Contamination.choices), note=_("several: separate with ;"),
                   several=True),
            Column("#indicator+evidence+type", _("Evidence"), _labels(v.EvidenceType.choices)),
            Column("#indicator+evidence", _("Evidence seen"), _labels(v.Evidence.choices),
                   note=_("several: separate with ;"), several=True),
            Column("#indicator+blockage", _("Blockages"), _labels(v.Blockage.choices),
                   note=_("several: separate with ;"), several=True),
            Column("#affected+f+adults", _("Women beneficiaries"), number=True),
            Column("#affected+m+adults", _("Men beneficiaries"), number=True),
            Column("#affected+f+children", _("Girls beneficiaries"), number=True),
            Column("#affected+m+children", _("Boys beneficiaries"), number=True),
            Column("#x_area+estimated", _("Estimated area (m²)"), number=True),
            Column("#org+name", _("Reporting organisation"), organisations),
            Column("#date+reported", _("Date of information"), note="YYYY-MM-DD"),
            Column("#description", _("Description")),
        ]  # fmt: skip
    if kind == "incidents":
        return [
            Column("#event+id", _("Your identifier")),
            Column("#date+occurred", _("Date"), note="YYYY-MM-DD"),
            Column("#geo+lon", _("Longitude"), note=_("decimal degrees, WGS 84")),
            Column("#geo+lat", _("Latitude"), note=_("decimal degrees, WGS 84")),
            Column("#loc+name", _("Place")),
            Column("#indicator+device", _("Device"), _labels(v.DeviceCategory.choices)),
            Column("#event+type", _("Accident type"), _labels(v.AccidentType.choices)),
            Column("#indicator+activity", _("Activity at the time"),
                   _labels(v.ActivityAtTime.choices)),
            Column("#indicator+marked", _("Area marked"), _labels(v.YesNoUnknown.choices)),
            Column("#org+name", _("Reporting organisation"), organisations),
            Column("#description", _("Narrative")),
        ]  # fmt: skip
    if kind == "needs":
        return [
            *where,
            Column("#sector", _("Sector"), _codes(Sector.choices),
                   note=_("empty: the whole population")),
            Column("#date+year", _("Year"), number=True),
            Column("#population", _("Population"), number=True),
            Column("#inneed", _("People in need"), number=True),
            Column("#targeted", _("People targeted"), number=True),
            Column("#meta+source", _("Source")),
        ]  # fmt: skip
    if kind == "organisations":
        return [
            Column("#org+name", _("Name")),
            Column("#org+acronym", _("Acronym")),
            Column("#org+type", _("Type"), _labels(OrganisationType.choices)),
            Column("#org+code", _("IATI identifier")),
            Column("#org+url", _("Website")),
            Column("#org+name+parent", _("Parent organisation"), organisations),
        ]
    raise ValueError(kind)


def template_workbook(kind: str) -> bytes:
    """The XLSX template of a kind."""
    columns = template_columns(kind)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Data")[:31]
    lists = book.create_sheet(_("Lists")[:31])
    lists.sheet_state = "hidden"
    bold, tag_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.cell(1, index, column.label).font = bold
        tag = sheet.cell(2, index, column.hashtag)
        tag.fill = tag_fill
        sheet.column_dimensions[letter].width = max(14, len(column.label) + 2)
        cells = f"{letter}3:{letter}{TEMPLATE_ROWS + 2}"
        if column.choices:
            for row, value in enumerate(column.choices, start=1):
                lists.cell(row, index, value)
            check = DataValidation(
                type="list",
                formula1=f"='{lists.title}'!${letter}$1:${letter}${len(column.choices)}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.label,
                error=_("Choose a value from the list."),
                # Several values ("A ; B") are typed: a warning, not a refusal.
                errorStyle="warning" if column.several else "stop",
            )
        elif column.number:
            check = DataValidation(
                type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                showErrorMessage=True, errorTitle=column.label,
                error=_("A whole number, 0 or more."),
            )  # fmt: skip
        else:
            check = None
        if check is not None:
            if column.note:
                check.prompt, check.showInputMessage = column.note, True
            check.add(cells)
            sheet.add_data_validation(check)
        elif column.note:
            note = DataValidation(type=None, showInputMessage=True, prompt=column.note)
            note.add(cells)
            sheet.add_data_validation(note)
    sheet.freeze_panes = "A3"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
