"""`kafo xlsform KIND -o PATH.xlsx` writes the form (its version recorded), and for a land
release activity the open hazards beside it; a wrong path is refused with the reason."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from kafo.intake.models import FormVersion
from kafo.mineaction.models import Hazard


def _settings(path) -> dict:
    rows = list(load_workbook(path, read_only=True)["settings"].iter_rows(values_only=True))
    return dict(zip(rows[0], rows[1], strict=True))


def test_it_writes_the_form_and_records_its_version(demo_geography, tmp_path):
    out = io.StringIO()
    call_command("xlsform", "accident", "-o", str(tmp_path / "accident.xlsx"), stdout=out)
    settings = _settings(tmp_path / "accident.xlsx")
    assert settings["form_id"] == "kafo_accident"
    version = FormVersion.objects.get(form_id="kafo_accident")
    assert version.version == settings["version"] and version.kind == "accident"
    assert settings["version"] in out.getvalue()
    call_command("xlsform", "accident", "-o", str(tmp_path / "again.xlsx"), stdout=out)
    assert FormVersion.objects.count() == 1  # the same form: recorded once
    assert not (tmp_path / "hazards.csv").exists()


def test_an_activity_form_comes_with_the_open_hazards(mine_action, coordinator, tmp_path):
    open_ = mine_action.hazard(coordinator, name="Champ de Sévaré")
    closed = mine_action.hazard(coordinator, name="Puits", status="closed")
    call_command("xlsform", "activity", "-o", str(tmp_path / "activity.xlsx"),
                 stdout=io.StringIO())  # fmt: skip
    rows = list(csv.DictReader((tmp_path / "hazards.csv").open(encoding="utf-8")))
    assert [row["name"] for row in rows] == [open_.reference]
    assert closed.reference not in (tmp_path / "hazards.csv").read_text()
    (row,) = rows
    assert "Champ de Sévaré" in row["label"] and row["pcode"] == open_.admin_unit.pcode
    assert row["reference"] == open_.reference  # the answer the form keeps
    hazard = Hazard.objects.get(reference=open_.reference)
    assert float(row["longitude"]) == hazard.longitude


@pytest.mark.parametrize("output", ["form.csv", "missing/form.xlsx"])
def test_a_wrong_path_is_refused(demo_geography, tmp_path, output):
    with pytest.raises(CommandError, match=r"xlsx|dossier|folder"):
        call_command("xlsform", "hazard", "-o", str(tmp_path / output), stdout=io.StringIO())
    assert not FormVersion.objects.exists()
