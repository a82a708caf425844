"""IATI activity files read as a stream: what is kept, versions, country filter, batches
that commit whole, broken files."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from kafo.currencies.models import ExchangeRate
from kafo.funding.models import Transaction
from kafo.interop.iati import IatiError, iter_activities
from kafo.interop.iati_import import import_iati, kafo_sector
from kafo.response.models import Activity
from tests.conftest import shared_data

ACTIVITY_203 = """
 <iati-activity default-currency="EUR" humanitarian="1">
  <iati-identifier>XM-DAC-41114-{n}</iati-identifier>
  <reporting-org ref="XM-DAC-41114" type="40"><narrative>UNDP</narrative></reporting-org>
  <title><narrative xml:lang="en">Mine risk</narrative>
   <narrative xml:lang="fr">Risque des mines {n}</narrative></title>
  <participating-org ref="XM-DAC-41114" role="1" type="40">
   <narrative>UNDP</narrative></participating-org>
  <participating-org role="4" type="22"><narrative>AMSS</narrative></participating-org>
  <activity-status code="{status}"/>
  <activity-date type="1" iso-date="2024-01-01"/><activity-date type="3" iso-date="2024-12-31"/>
  <recipient-country code="{country}" percentage="100"/>
  <recipient-region code="289" vocabulary="1" percentage="100"/>
  <location><name><narrative>Ménaka</narrative></name>
   <point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>15.92 2.40</pos></point>
  </location>
  <sector vocabulary="1" code="15250" percentage="70"/>
  <sector vocabulary="10" code="10" percentage="30"/>
  <humanitarian-scope type="1" vocabulary="1-2" code="EP-2024-000001-MLI"/>
  <budget type="1" status="2"><period-start iso-date="2024-01-01"/>
   <period-end iso-date="2024-12-31"/>
   <value currency="EUR" value-date="2024-01-01">{budget}</value></budget>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2024-03-01"/>
   <value currency="EUR" value-date="2024-03-01">1000</value>
   <provider-org ref="XM-DAC-41114"><narrative>UNDP</narrative></provider-org>
   <receiver-org><narrative>AMSS</narrative></receiver-org></transaction>
 </iati-activity>"""


def _file(tmp_path, *activities, version="2.03"):
    path = tmp_path / "iati.xml"
    body = "".join(activities)
    path.write_text(f'<?xml version="1.0"?>\n<iati-activities version="{version}">{body}'
                    "</iati-activities>", encoding="utf-8")  # fmt: skip
    return path


def _activity(n=1, country="ML", status="2", budget="5000"):
    return ACTIVITY_203.format(n=n, country=country, status=status, budget=budget)


@pytest.fixture
def euro(db):
    ExchangeRate.objects.create(currency="EUR", date=datetime.date(2020, 1, 1),
                                to_usd=Decimal("1.10"), source="test")  # fmt: skip


def test_everything_iati_says_is_kept(tmp_path, euro):
    batch = import_iati(_file(tmp_path, _activity()), country="ML")
    assert (batch.status, batch.created) == ("imported", 1), batch.report()
    activity = Activity.objects.get()
    assert activity.source_id == "XM-DAC-41114-1" and activity.title == "Risque des mines 1"
    assert activity.organisation.name == "AMSS" and activity.sector == "PRO-MIN"
    assert (activity.status, str(activity.planned_start)) == ("ongoing", "2024-01-01")
    assert (activity.budget, activity.currency) == (Decimal(5000), "EUR")
    assert activity.points == [[2.40, 15.92]]
    roles = {(p.organisation.name, p.role) for p in activity.participants.all()}
    assert roles == {("UNDP", "1"), ("AMSS", "4")}
    details = activity.iati
    assert {(s["vocabulary"], s["code"], s["percentage"]) for s in details["sectors"]} == {
        ("1", "15250", 70.0), ("10", "10", 30.0)}  # fmt: skip
    assert details["recipient_regions"][0]["code"] == "289"
    assert details["humanitarian_scopes"][0]["code"] == "EP-2024-000001-MLI"
    assert details["humanitarian"] is True
    flow = Transaction.objects.get()
    assert (flow.type, flow.amount, flow.provider.name, flow.receiver.name) == (
        "3", Decimal(1000), "UNDP", "AMSS")  # fmt: skip


def test_importing_again_updates_without_duplicates(tmp_path, euro):
    import_iati(_file(tmp_path, _activity()))
    again = import_iati(_file(tmp_path, _activity(budget="6000")))
    assert (again.created, again.updated) == (0, 1)
    assert Activity.objects.get().budget == Decimal(6000)
    assert Transaction.objects.count() == 1


def test_the_country_filter_skips_other_countries(tmp_path, euro):
    batch = import_iati(_file(tmp_path, _activity(1), _activity(2, country="SN")), country="ml")
    assert batch.created == 1 and Activity.objects.get().source_id.endswith("-1")


def test_a_bad_activity_stops_the_batch_unless_valid_ones_are_accepted(tmp_path, euro):
    path = _file(tmp_path, _activity(1), _activity(2, status="9", budget="beaucoup"))
    batch = import_iati(path)
    assert (batch.status, batch.rejected) == ("rejected", 1) and not Activity.objects.exists()
    errors = {e["column"] for e in batch.report()["errors"]}
    assert {"activity-status", "budget/value"} <= errors
    assert {e["row"] for e in batch.report()["errors"]} == {2}
    partial = import_iati(path, accept_valid=True)
    assert (partial.status, partial.accepted, Activity.objects.count()) == ("partial", 1, 1)


def test_a_missing_rate_stores_the_transaction_waiting_for_its_conversion(tmp_path, db):
    batch = import_iati(_file(tmp_path, _activity()))
    flow = Transaction.objects.get()
    assert (flow.amount, flow.currency, flow.amount_usd) == (Decimal(1000), "EUR", None)
    assert (batch.status, batch.pending, batch.dropped) == ("imported", 1, 0)
    assert "taux de change" in batch.report()["notes"][0]["reason"]


def test_a_negative_value_keeps_its_sign_and_goes_back_out(tmp_path, euro):
    reversal = _activity().replace(">1000</value>", ">-250.5</value>")
    import_iati(_file(tmp_path, reversal))
    assert Transaction.objects.get().amount == Decimal("-250.5")
    out = tmp_path / "out.xml"
    call_command("export_iati", "-o", str(out), stdout=StringIO())
    from lxml import etree

    assert etree.parse(str(out)).xpath("//transaction/value/text()") == ["-250.50"]


@pytest.mark.parametrize("value", ["Infinity", "NaN", "1e400", "12345678901234567"])
def test_an_amount_that_is_not_finite_or_too_long_is_refused(tmp_path, euro, value):
    bad = _activity().replace(">1000</value>", f">{value}</value>")
    batch = import_iati(_file(tmp_path, bad))
    assert batch.status == "rejected" and not Transaction.objects.exists()
    assert {e["column"] for e in batch.report()["errors"]} == {"transaction/value"}


def test_an_unknown_currency_is_refused(tmp_path, euro):
    bad = _activity().replace('<value currency="EUR" value-date="2024-03-01">',
                              '<value currency="FCF" value-date="2024-03-01">')  # fmt: skip
    batch = import_iati(_file(tmp_path, bad))
    assert batch.status == "rejected" and not Transaction.objects.exists()
    assert batch.report()["errors"][0]["value"] == "FCF"


def test_the_value_date_chooses_the_rate(tmp_path, db):
    ExchangeRate.objects.create(currency="EUR", date=datetime.date(2024, 1, 1),
                                to_usd=Decimal("1.10"), source="test")  # fmt: skip
    late = _activity().replace('value-date="2024-03-01">1000', 'value-date="2023-12-01">1000')
    import_iati(_file(tmp_path, late))
    flow = Transaction.objects.get()
    assert flow.date == datetime.date(2024, 3, 1) and flow.value_date == datetime.date(2023, 12, 1)
    assert flow.conversion_pending  # no EUR rate on or before 2023-12-01


def test_version_1_words_are_read(tmp_path, db):
    legacy = """<iati-activity default-currency="USD"><iati-identifier>OLD-1</iati-identifier>
      <reporting-org ref="OLD" type="21">Old NGO</reporting-org><title>Déminage</title>
      <participating-org role="Implementing" type="21">Old NGO</participating-org>
      <activity-status code="2"/><activity-date type="start-actual" iso-date="2012-05-01"/>
      <recipient-country code="ML"/><sector vocabulary="DAC" code="15250"/>
      <location><coordinates latitude="14.5" longitude="-4.2" precision="3"/></location>
      <transaction><transaction-type code="D"/><transaction-date iso-date="2012-06-01"/>
       <value>10</value></transaction></iati-activity>"""
    [activity] = iter_activities(_file(tmp_path, legacy, version="1.03"))
    assert activity.participants[0]["role"] == "4" and activity.dates == {"2": "2012-05-01"}
    assert activity.transactions[0]["type"] == "3" and activity.title == "Déminage"
    assert activity.locations[0]["point"] == [-4.2, 14.5]
    assert kafo_sector(activity.sectors)[0] == "PRO-MIN"


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"<iati-activities version='2.03'><iati-activity>", "ligne"),
        (b"<html><body>404</body></html>", "<html>"),
        (b"PK\x03\x04zipped", "compress"),
        (b"", "vide"),
        (
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;">]><iati-activities version="2.03"><iati-activity>'
            b"<iati-identifier>&c;</iati-identifier></iati-activity></iati-activities>",
            "",
        ),
    ],
)
def test_broken_files_fail_with_a_reason_and_write_nothing(tmp_path, db, content, reason):
    path = tmp_path / "broken.xml"
    path.write_bytes(content)
    batch = import_iati(path)
    assert not Activity.objects.exists()
    if batch.status == "failed":
        assert reason in batch.file_error
    else:  # entities are not expanded: the identifier reads empty and the activity is refused
        assert batch.status == "rejected" and batch.report()["errors"][0]["row"] == 1
    with pytest.raises(IatiError) if batch.status == "failed" else _nothing():
        list(iter_activities(path))


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_the_command_prints_the_report_with_stable_keys(tmp_path, euro):
    out = StringIO()
    call_command("import_iati", str(_file(tmp_path, _activity())), "--country", "ML", "--json",
                 stdout=out)  # fmt: skip
    report = json.loads(out.getvalue())
    assert {"accepted", "created", "updated", "rejected", "errors"} <= report.keys()
    assert report["created"] == 1


@pytest.mark.realdata
@pytest.mark.parametrize("name, mali", [("dportal_69.xml", 14), ("dportal_94.xml", 4),
                                        ("dportal_14.xml", 10)])  # fmt: skip
def test_real_files_import_their_mali_activities(db, name, mali):
    path = shared_data(f"iati/{name}")
    ExchangeRate.objects.create(currency="EUR", date=datetime.date(2000, 1, 1),
                                to_usd=Decimal("1.1"), source="test")  # fmt: skip
    batch = import_iati(path, country="ML", accept_valid=True)
    assert batch.status in ("imported", "partial"), batch.report()
    assert batch.accepted + batch.rejected == mali
    assert batch.accepted >= mali - 1
    assert Activity.objects.count() == batch.accepted
    again = import_iati(path, country="ML", accept_valid=True)
    assert again.created == 0 and Activity.objects.count() == batch.accepted
