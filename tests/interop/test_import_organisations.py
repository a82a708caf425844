"""Organisations from HXL: matched, updated, created, or flagged for review."""

from django.core.management import call_command

from kafo.actors.models import Organisation
from kafo.interop.organisations import import_organisations


def _file(tmp_path, *rows):
    path = tmp_path / "orgs.csv"
    path.write_text(
        "Nom,Sigle,Type,IATI,Parent\n#org+name,#org+acronym,#org+type,#org+code+iati,#org+name+parent\n"
        + "\n".join(rows) + "\n", encoding="utf-8",
    )  # fmt: skip
    return path


def test_known_organisations_are_updated_and_new_ones_created(tmp_path, organisation):
    organisation("HI", name="Humanité & Inclusion")
    batch = import_organisations(_file(
        tmp_path,
        "Handicap International,HI,ONG internationale,XM-HI-1,",
        "Association Tassaght,TASSAGHT,ONG nationale,,",
        "Tassaght Gao,,ONG nationale,,Association Tassaght",
    ))  # fmt: skip
    assert (batch.status, batch.created, batch.updated) == ("imported", 2, 1)
    assert Organisation.objects.get(acronym="HI").iati_identifier == "XM-HI-1"
    assert Organisation.objects.get(name="Tassaght Gao").parent.acronym == "TASSAGHT"


def test_an_unknown_type_rejects_the_row_with_the_valid_codes(tmp_path, db):
    batch = import_organisations(_file(tmp_path, "Groupe X,GX,Milice,,"))
    assert batch.status == "rejected" and not Organisation.objects.exists()
    [error] = batch.report()["errors"]
    assert error["value"] == "Milice" and "national_ngo" in error["reason"]


def test_an_export_imports_back_without_duplicates(tmp_path, organisation):
    organisation("MAG", name="Mines Advisory Group")
    path = tmp_path / "orgs.csv"
    call_command("export_hxl", "organisations", "-o", str(path))
    batch = import_organisations(path)
    assert (batch.created, batch.updated) == (0, 1) and Organisation.objects.count() == 1
