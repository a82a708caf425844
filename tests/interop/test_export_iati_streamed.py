"""The IATI export written a chunk at a time: each chunk checked against the official
schema, the file whole or absent, and the queries per chunk, not per activity."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from kafo.funding.models import Transaction
from kafo.geo.models import AdminUnit
from kafo.interop import iati_export
from kafo.interop.iati_export import IatiSchemaError, schema, write_iati
from kafo.response.models import Activity, ActivityParticipant


@pytest.fixture
def many(demo_geography, organisation):
    hi = organisation("HI", iati_identifier="GB-CHC-1234")
    amss = organisation("AMSS", "national_ngo")
    mopti, segou = AdminUnit.objects.get(pcode="ML0501"), AdminUnit.objects.get(pcode="ML0401")

    def make(count: int) -> None:
        for n in range(count):
            activity = Activity.objects.create(
                organisation=hi, title=f"EER {n}", sector="PRO-MIN",
                planned_start=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
            )  # fmt: skip
            activity.locations.set([mopti, segou][: 1 + n % 2])
            ActivityParticipant.objects.create(activity=activity, organisation=amss, role="2")
            for day, humanitarian in ((3, False), (1, n % 3 == 0)):
                Transaction.objects.create(
                    type="3", provider=hi, receiver=amss, activity=activity,
                    date=datetime.date(2025, 2, day), amount=Decimal("100") + n,
                    currency="USD", humanitarian=humanitarian,
                )  # fmt: skip

    return make


def test_chunks_make_one_valid_file_with_every_activity(tmp_path, many, monkeypatch):
    monkeypatch.setattr(iati_export, "CHUNK", 2)
    many(5)
    path = tmp_path / "kafo.xml"
    assert write_iati(path, Activity.objects.order_by("pk")) == (5, {})
    document = etree.parse(str(path))  # lxml reads it back: one document, not five pieces
    assert schema().validate(document)
    activities = document.getroot().findall("iati-activity")
    assert [a.findtext("title/narrative") for a in activities] == [f"EER {n}" for n in range(5)]
    assert [len(a.findall("location")) for a in activities] == [1, 2, 1, 2, 1]
    assert [a.get("humanitarian") for a in activities] == ["1", None, None, "1", None]
    first = activities[0]
    dates = [t.find("transaction-date").get("iso-date") for t in first.findall("transaction")]
    assert dates == ["2025-02-01", "2025-02-03"]
    roles = {p.get("role") for p in first.findall("participating-org")}
    assert roles == {"2", "4"}
    assert not list(tmp_path.glob(".*partial"))


def test_the_queries_do_not_grow_with_the_activities(tmp_path, many, monkeypatch):
    monkeypatch.setattr(iati_export, "CHUNK", 50)

    def queries(count: int) -> int:
        Transaction.objects.all().delete()
        Activity.objects.all().delete()
        many(count)
        with CaptureQueriesContext(connection) as done:
            write_iati(tmp_path / f"{count}.xml", Activity.objects.order_by("pk"))
        return len(done)

    assert queries(3) == queries(12)


def test_an_invalid_chunk_leaves_no_file(tmp_path, many, monkeypatch):
    monkeypatch.setattr(iati_export, "CHUNK", 2)
    many(5)
    made = iati_export.activity_element

    def fourth_broken(activity, country, language):
        element, reason = made(activity, country, language)
        if activity.title == "EER 3":
            etree.SubElement(element, "not-iati")
        return element, reason

    monkeypatch.setattr(iati_export, "activity_element", fourth_broken)
    path = tmp_path / "kafo.xml"
    path.write_text("the previous export")
    with pytest.raises(IatiSchemaError, match="not-iati"):
        write_iati(path, Activity.objects.order_by("pk"))
    assert path.read_text() == "the previous export"  # not replaced by half a file
    assert not list(tmp_path.glob(".*partial"))
