"""An attendance sheet (CSV with `;` and French headers, or an XLSX) is imported whole
or not at all: each refused row says why; organisations are recognised by name or
acronym and kept as written; a person already listed is not listed twice."""

import io

import openpyxl
import pytest

from kafo.meetings.models import Attendance
from kafo.meetings.services import import_attendance

pytestmark = pytest.mark.django_db

SHEET = (
    "Nom;Organisation;Sexe;Rôle;À distance\n"
    "Awa Diarra;Humanité & Inclusion;F;présidente;non\n"
    "Moussa Koné;HI;H;participant;oui\n"
    "Fatoumata Traoré;Association des femmes de Sévaré;F;;non\n"
)


def test_a_csv_sheet_is_imported_with_its_organisations(meeting):
    result = import_attendance(meeting, "liste.csv", SHEET.encode("utf-8-sig"))
    assert result.errors == [] and result.created == 3
    people = {a.name: a for a in Attendance.objects.select_related("organisation")}
    assert people["Awa Diarra"].role == "chair" and people["Awa Diarra"].sex == "f"
    assert people["Moussa Koné"].remote is True and people["Moussa Koné"].sex == "m"
    assert people["Moussa Koné"].organisation.acronym == "HI"
    assert people["Awa Diarra"].organisation.acronym == "HI"
    unknown = people["Fatoumata Traoré"]
    assert unknown.organisation is None
    assert unknown.organisation_name == "Association des femmes de Sévaré"
    # The same sheet again lists no one twice.
    assert import_attendance(meeting, "liste.csv", SHEET.encode()).created == 0
    assert Attendance.objects.count() == 3


def test_an_xlsx_sheet_is_read_from_its_attendance_sheet(meeting):
    book = openpyxl.Workbook()
    book.active.title = "survey"
    sheet = book.create_sheet("attendance")
    for row in [["name", "organisation", "sex", "role", "remote"],
                ["Awa Diarra", "HI", "female", "chair", "no"],
                ["Ali Maïga", "", "m", "observer", "yes"]]:  # fmt: skip
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    result = import_attendance(meeting, "presence.xlsx", out.getvalue())
    assert result.errors == [] and result.created == 2
    assert Attendance.objects.get(name="Ali Maïga").role == "observer"


def test_a_sheet_with_a_bad_row_imports_nothing_and_says_where(meeting):
    bad = SHEET + ";HI;F;participant;non\nIssa Cissé;HI;X;participant;peut-être\n"
    result = import_attendance(meeting, "liste.csv", bad.encode())
    assert result.created == 0 and not Attendance.objects.exists()
    assert result.errors[0].startswith(("row 5", "ligne 5"))
    assert len(result.errors) == 2
    assert "X" in result.errors[1] and "peut-être" in result.errors[1]


@pytest.mark.parametrize(("name", "content", "says"), [
    ("vide.csv", b"", "empty"),
    ("sans-nom.csv", b"organisation;sexe\nHI;F\n", "names"),
    ("binaire.csv", b"\xff\xfe\x00\x01", "cannot be read"),
    ("faux.xlsx", b"PK not really a workbook", "cannot be read"),
])  # fmt: skip
def test_a_file_that_is_not_a_sheet_is_refused(meeting, name, content, says, english):
    result = import_attendance(meeting, name, content)
    assert result.created == 0 and says in result.errors[0]
