"""An organisation name longer than Kafo keeps (255 characters) refuses its row with the
reason, in every importer: it is never cut to fit."""

from kafo.actors.models import Organisation
from kafo.interop.activities import import_activities
from kafo.interop.iati_import import import_iati
from kafo.interop.needs import import_needs

LONG = "Association " + "très longue " * 25  # 312 characters


def test_a_5w_organisation_or_funder_too_long_is_refused(tmp_path, demo_geography):
    path = tmp_path / "5w.csv"
    path.write_text(
        "#org+impl,#org+funder,#sector,#activity+name,#adm2+code\n"
        f"{LONG},ECHO,HEA,Cliniques,ML0501\n"
        f"HI,{LONG},HEA,Cliniques,ML0501\n",
        encoding="utf-8",
    )
    batch = import_activities(path)
    assert (batch.status, batch.rejected) == ("rejected", 2)
    reasons = [e["reason"] for e in batch.report()["errors"]]
    assert sum("255" in reason for reason in reasons) == 2, reasons
    assert not Organisation.objects.filter(name__startswith="Association").exists()


def test_a_needs_organisation_too_long_is_refused(tmp_path, demo_geography, coordinator):
    path = tmp_path / "needs.csv"
    path.write_text(
        f"#adm2+code,#sector,#inneed,#date,#org\nML0501,HEA,1200,2025,{LONG}\n",
        encoding="utf-8",
    )
    batch = import_needs(path, user=coordinator)
    assert batch.status == "rejected"
    assert any("255" in e["reason"] for e in batch.report()["errors"])


def test_an_iati_participant_too_long_is_refused(tmp_path, demo_geography):
    path = tmp_path / "iati.xml"
    path.write_text(
        '<iati-activities version="2.03"><iati-activity default-currency="USD">'
        "<iati-identifier>XM-1</iati-identifier>"
        '<reporting-org ref="XM" type="40"><narrative>PNUD</narrative></reporting-org>'
        "<title><narrative>Projet</narrative></title>"
        f'<participating-org role="4"><narrative>{LONG}</narrative></participating-org>'
        '<recipient-country code="ML" percentage="100"/>'
        "</iati-activity></iati-activities>",
        encoding="utf-8",
    )
    batch = import_iati(path, country="ML")
    assert batch.status == "rejected"
    assert any("255" in e["reason"] for e in batch.report()["errors"])
