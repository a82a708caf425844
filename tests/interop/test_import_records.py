"""Hazards and incidents from HXL become submitted field reports, checked by the same form
as the web; importing again changes nothing; a changed row is a correction."""

import json

import pytest

from kafo.actors.models import Role
from kafo.interop.records import import_hazards, import_incidents
from kafo.mineaction import reports
from kafo.mineaction.models import FieldReport, Hazard

HAZARDS = (
    "Référence,Nom,Classe,Statut,Polygone,Contamination,Preuve,Organisation,Date\n"
    "#meta+id,#loc+name,#loc+type,#status,#geo+wkt,#indicator+contamination,"
    "#indicator+evidence+type,#org+name,#date+reported\n"
)
SQUARE = "POLYGON((-4.25 14.45,-4.24 14.45,-4.24 14.46,-4.25 14.46,-4.25 14.45))"
INCIDENTS = (
    "Id,Date,Lon,Lat,Engin,Type,Activité,Marquée,Lieu\n"
    "#event+id,#date+occurred,#geo+lon,#geo+lat,#indicator+device,#event+type,"
    "#indicator+activity,#indicator+marked,#loc+name\n"
)


@pytest.fixture
def hazards_file(tmp_path, demo_geography, organisation):
    organisation("MAG", name="Mines Advisory Group")

    def write(*rows):
        path = tmp_path / "hazards.csv"
        path.write_text(HAZARDS + "\n".join(rows) + "\n", encoding="utf-8")
        return path

    return write


def _row(ident="Z-1", name="Champ nord", contamination="Mine improvisée", status="Ouvert"):
    return (f'{ident},{name},SHA,{status},"{SQUARE}",{contamination},indirecte,'
            f"Mines Advisory Group,2024-05-02")  # fmt: skip


def test_hazards_become_submitted_reports_with_labels_read_as_codes(hazards_file):
    batch = import_hazards(hazards_file(_row()))
    assert (batch.status, batch.created, batch.rejected) == ("imported", 1, 0), str(batch.report())
    report = FieldReport.objects.get()
    assert report.status == "submitted" and report.source == "hxl:Z-1"
    assert report.data["contamination"] == ["improvised_mine"]
    assert report.data["classification"] == "sha" and report.data["status"] == "open"
    assert report.organisation.acronym == "MAG"
    assert str(report.date_of_information) == "2024-05-02"


def test_importing_again_changes_nothing_and_a_changed_row_is_a_correction(hazards_file):
    path = hazards_file(_row())
    import_hazards(path)
    again = import_hazards(path)
    assert (again.created, again.updated, FieldReport.objects.count()) == (0, 0, 1)
    changed = import_hazards(hazards_file(_row(name="Champ nord-est")))
    assert (changed.created, changed.updated) == (0, 1)
    correction = FieldReport.objects.order_by("id").last()
    first = FieldReport.objects.order_by("id").first()
    assert correction.record_reference == first.record_reference
    assert correction.data["name"] == "Champ nord-est"


def test_a_bad_row_names_its_column_and_nothing_is_written(hazards_file):
    bad = _row(ident="Z-2", contamination="Pierre")
    outside = _row(ident="Z-3").replace(SQUARE, "POLYGON((1 1,2 1,2 2,1 1))")
    batch = import_hazards(hazards_file(_row(), bad, outside))
    assert batch.status == "rejected" and not FieldReport.objects.exists()
    errors = batch.report()["errors"]
    by_row = {e["row"]: e for e in errors}
    assert by_row[4]["column"].startswith("#indicator+contamination")
    assert "Pierre" in by_row[4]["reason"] or by_row[4]["value"] == "Pierre"
    assert by_row[5]["column"].startswith("#geo+wkt") and "pays" in by_row[5]["reason"]


def test_a_validated_record_exported_imports_back_as_no_change(mine_action, user_with_role,
                                                               tmp_path):  # fmt: skip
    editor = user_with_role(Role.PARTNER_EDITOR)
    hazard = mine_action.hazard(editor, name="Puits")
    path = tmp_path / "back.csv"
    path.write_text(
        "#loc+id+x_kafo,#loc+name,#indicator+contamination,#geo+lon,#geo+lat\n"
        f"{hazard.reference},Puits,improvised_mine,{hazard.longitude},{hazard.latitude}\n"
    )
    batch = import_hazards(path, user=editor)
    assert (batch.status, batch.created, batch.updated) == ("imported", 0, 0), batch.report()


def test_a_partner_may_not_correct_another_organisations_record(mine_action, user_with_role,
                                                                tmp_path):  # fmt: skip
    owner, other = user_with_role(Role.PARTNER_EDITOR), user_with_role(Role.PARTNER_EDITOR)
    hazard = mine_action.hazard(owner)
    path = tmp_path / "other.csv"
    path.write_text(f"#loc+id+x_kafo,#loc+name\n{hazard.reference},Autre nom\n")
    batch = import_hazards(path, user=other)
    assert batch.status == "rejected"
    assert "organisation" in batch.report()["errors"][0]["reason"]
    assert Hazard.objects.get().name == hazard.name


def test_incidents_import_and_validate_into_an_accident(tmp_path, demo_geography, coordinator):
    path = tmp_path / "incidents.csv"
    path.write_text(
        INCIDENTS
        + "INC-9,2024-05-01,-4.2,14.5,improvised_mine,civil,travelling_vehicle,non,Route\n",
        encoding="utf-8",
    )
    batch = import_incidents(path, user=coordinator)
    assert (batch.status, batch.created) == ("imported", 1), json.dumps(batch.report())
    report = FieldReport.objects.get()
    reports.verify(report, coordinator)
    reports.accept(report, coordinator)
    accident = reports.validate(report, coordinator)
    assert accident.place_description == "Route" and accident.area_marked == "no"
    assert accident.admin_unit is not None
