"""Kafo activities as IATI 2.03 XML that validates against the official schema."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from kafo.funding.models import Transaction
from kafo.geo.models import AdminUnit
from kafo.interop import iati_export
from kafo.interop.iati_export import IatiSchemaError, schema, validate, write_iati
from kafo.interop.iati_import import import_iati
from kafo.response.models import Activity
from tests.conftest import shared_data


@pytest.fixture
def activities(demo_geography, organisation):
    hi = organisation("HI", name="Humanité & Inclusion", iati_identifier="GB-CHC-1234")
    amss = organisation("AMSS", "national_ngo")
    first = Activity.objects.create(
        organisation=hi, title="EER à Mopti", sector="PRO-MIN", status="ongoing",
        planned_start=datetime.date(2025, 1, 1), planned_end=datetime.date(2025, 12, 31),
        budget=Decimal("12000"), currency="EUR", points=[[-4.123456, 14.654321]],
    )  # fmt: skip
    first.locations.set([AdminUnit.objects.get(pcode="ML0501")])
    Transaction.objects.create(
        type="3", provider=hi, receiver=amss, activity=first, date=datetime.date(2025, 2, 1),
        amount=Decimal("500.5"), currency="EUR", rate_to_usd=Decimal("1.1"),
        rate_to_xof=Decimal("655.957"), rate_date=datetime.date(2025, 1, 1), rate_source="t",
    )  # fmt: skip
    Activity.objects.create(organisation=amss, title="Sans date", sector="MPC")
    return first


def test_the_export_validates_and_keeps_exact_points_out(tmp_path, activities):
    path = tmp_path / "kafo.xml"
    written, skipped = write_iati(path, Activity.objects.order_by("pk"))
    assert (written, skipped) == (1, {iati_export.NO_DATE: 1})
    document = etree.parse(str(path))
    assert schema().validate(document)
    activity = document.getroot()[0]
    assert activity.findtext("iati-identifier") == f"GB-CHC-1234-KAFO-{activities.pk}"
    assert activity.find("sector").attrib == {"vocabulary": "1", "code": "15250"}
    assert activity.find("location").get("ref") == "ML0501"
    assert "14.654321" not in path.read_text() and "-4.123456" not in path.read_text()
    assert activity.find("transaction/value").text == "500.50"
    assert activity.find("recipient-country").get("code") == "ML"


def test_an_invalid_document_is_refused_with_the_schemas_reason(activities, monkeypatch):
    document, _skipped = iati_export.iati_document(Activity.objects.all())
    etree.SubElement(document.getroot()[0], "not-iati")
    with pytest.raises(IatiSchemaError, match="not-iati"):
        validate(document)


def test_the_command_writes_a_valid_file(tmp_path, activities, capsys):
    call_command("export_iati", "-o", str(tmp_path / "out.xml"))
    assert schema().validate(etree.parse(str(tmp_path / "out.xml")))
    with pytest.raises(CommandError):
        call_command("export_iati", "-o", str(tmp_path / "missing" / "out.xml"))


@pytest.mark.realdata
def test_real_activities_imported_export_back_valid(tmp_path, db):
    import_iati(shared_data("iati/dportal_69.xml"), country="ML", accept_valid=True)
    written, _skipped = write_iati(tmp_path / "back.xml", Activity.objects.all())
    assert written == Activity.objects.count() > 0
    root = etree.parse(str(tmp_path / "back.xml")).getroot()
    assert root[0].findtext("iati-identifier").startswith("XI-IATI-EC_ECHO")


def test_a_kafo_activity_without_an_iati_reference_is_left_out_with_the_reason(
    tmp_path, activities, capsys
):
    activities.organisation.iati_identifier = ""
    activities.organisation.save()
    with pytest.raises(iati_export.NothingToPublish) as caught:
        write_iati(tmp_path / "out.xml", Activity.objects.all())
    assert caught.value.left_out == {iati_export.NO_DATE: 1, iati_export.NO_PUBLISHER: 1}
    with pytest.raises(CommandError, match="KAFO_IATI_PUBLISHER_REF"):
        call_command("export_iati", "-o", str(tmp_path / "out.xml"))
    assert not (tmp_path / "out.xml").exists()


def test_the_recipient_country_is_the_activity_s_own(tmp_path, activities):
    from kafo.geo.models import CodVersion

    nigeria = CodVersion.objects.create(country="NGA", name="ng", is_active=True)
    unit = AdminUnit.objects.create(cod_version=nigeria, level=0, pcode="NG", name="Nigeria")
    activities.locations.set([unit])
    write_iati(tmp_path / "out.xml", Activity.objects.filter(pk=activities.pk))
    document = etree.parse(str(tmp_path / "out.xml"))
    assert document.xpath("//recipient-country/@code") == ["NG"]
