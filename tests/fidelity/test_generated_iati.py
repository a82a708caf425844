"""Property: any valid IATI activity file (signed amounts in several currencies, value
dates, shares between Mali and a neighbour, several sectors) imports with every
transaction as lxml reads it, and Kafo publishes each activity back as it was written
(lxml's canonical form), valid against the official IATI schema."""

import copy
import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from lxml.builder import E

from kafo.funding.models import Transaction
from kafo.interop.iati_export import write_iati
from kafo.interop.iati_import import import_iati
from kafo.interop.models import ImportBatch
from kafo.response.models import Activity
from tests.fidelity.generated import GENERATED_FILES

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PUBLISHERS = {"XM-DAC-41114": ("40", "United Nations Development Programme"),
              "GB-CHC-1234": ("21", "Humanité & Inclusion"),
              "XI-IATI-EC_ECHO": ("10", "European Commission - Humanitarian Aid")}  # fmt: skip
# DAC 5 codes of mine action, education, health and emergency food assistance.
SECTORS = ["15250", "11220", "12220", "72040"]

texts = st.text(
    alphabet=st.sampled_from("abcdeéèàçôîù ABCDÉ-'’,;.()/&<>\"0123456789"), min_size=1,
    max_size=300,
).map(lambda text: " ".join(text.split())).filter(bool)  # fmt: skip
dates = st.dates(datetime.date(2012, 1, 1), datetime.date(2030, 12, 31))
amounts = st.decimals(min_value=Decimal("-9999999999.99"), max_value=Decimal("9999999999.99"),
                      places=2, allow_nan=False, allow_infinity=False)  # fmt: skip


@st.composite
def transaction(draw):
    day = draw(dates)
    value = E.value(str(draw(amounts)), currency=draw(st.sampled_from(["USD", "EUR", "XOF"])),
                    **{"value-date": day.isoformat()})  # fmt: skip
    return E.transaction(
        E("transaction-type", code=draw(st.sampled_from(["1", "2", "3", "4"]))),
        E("transaction-date", **{"iso-date": day.isoformat()}), value,
    )  # fmt: skip


@st.composite
def activity(draw, number: int):
    publisher = draw(st.sampled_from(sorted(PUBLISHERS)))
    kind, name = PUBLISHERS[publisher]
    start = draw(dates)
    mali = draw(st.sampled_from([100, 100, 60, 25]))
    countries = [E("recipient-country", code="ML", percentage=str(mali))]
    if mali < 100:
        countries.append(E("recipient-country", code="NE", percentage=str(100 - mali)))
    sectors = draw(st.lists(st.sampled_from(SECTORS), min_size=1, max_size=3, unique=True))
    shares = [100 // len(sectors)] * len(sectors)
    shares[0] += 100 - sum(shares)
    return E(
        "iati-activity",
        E("iati-identifier", f"{publisher}-P{number}"),
        E("reporting-org", E.narrative(name), ref=publisher, type=kind),
        E.title(E.narrative(draw(texts))),
        E.description(E.narrative(draw(texts))),
        E("participating-org", E.narrative(name), ref=publisher, role="4", type=kind),
        E("activity-status", code=draw(st.sampled_from(["1", "2", "3", "4"]))),
        E("activity-date", type="1", **{"iso-date": start.isoformat()}),
        *countries,
        *[E.sector(vocabulary="1", code=code, percentage=str(share))
          for code, share in zip(sectors, shares, strict=True)],
        *draw(st.lists(transaction(), min_size=0, max_size=4)),
        **{"last-updated-datetime": "2025-01-01T00:00:00Z", XML_LANG: "en",
           "default-currency": "USD"},
    )  # fmt: skip


def _file(tmp_path, activities) -> etree._ElementTree:
    root = E("iati-activities", *activities, version="2.03",
             **{"generated-datetime": "2025-01-01T00:00:00Z"})  # fmt: skip
    tree = etree.ElementTree(root)
    tree.write(str(tmp_path / "in.xml"), xml_declaration=True, encoding="UTF-8")
    return tree


def _canonical(element) -> bytes:
    """lxml's canonical form, without the indentation a pretty-printed file adds."""
    element = copy.deepcopy(element)
    for node in element.iter():
        if node.text is not None and not node.text.strip():
            node.text = None
        if node.tail is not None and not node.tail.strip():
            node.tail = None
    return etree.tostring(element, method="c14n")


def _by_identifier(path) -> dict[str, etree._Element]:
    root = etree.parse(str(path)).getroot()
    return {a.findtext("iati-identifier"): a for a in root.iter("iati-activity")}


@pytest.mark.django_db
@GENERATED_FILES
@given(activities=st.integers(1, 4).flatmap(
    lambda n: st.tuples(*(activity(number) for number in range(n)))))  # fmt: skip
def test_a_generated_iati_file_comes_back_as_written(tmp_path, demo_geography, activities):
    Transaction.objects.all().delete()
    Activity.objects.all().delete()
    ImportBatch.objects.all().delete()
    _file(tmp_path, activities)
    batch = import_iati(tmp_path / "in.xml", country="ML")
    assert (batch.status, batch.created) == ("imported", len(activities)), batch.report()
    for element in activities:
        stored = Activity.objects.get(source_id=element.findtext("iati-identifier"))
        in_file = [
            (flow.xpath("string(transaction-type/@code)"), Decimal(flow.findtext("value")),
             flow.xpath("string(value/@currency)"), flow.xpath("string(value/@value-date)"))
            for flow in element.xpath("transaction")
        ]  # fmt: skip
        kept = [
            (t.type, t.amount, t.currency, t.value_date.isoformat())
            for t in Transaction.objects.filter(activity=stored).order_by("pk")
        ]
        assert kept == in_file
        share = Decimal(element.xpath("string(recipient-country[@code='ML']/@percentage)"))
        assert {t.country_share * 100 for t in stored.transactions.all()} <= {share}
        assert stored.title == element.xpath("string(title/narrative)")
    out = tmp_path / "out.xml"
    written, _left_out = write_iati(out, Activity.objects.all())
    assert written == len(activities)
    for identifier, published in _by_identifier(out).items():
        original = _by_identifier(tmp_path / "in.xml")[identifier]
        assert _canonical(published) == _canonical(original), identifier


def test_an_amount_with_more_than_two_decimals_is_counted_to_the_cent_and_said(
    tmp_path, demo_geography
):
    flow = E.transaction(E("transaction-type", code="3"),
                         E("transaction-date", **{"iso-date": "2024-01-01"}),
                         E.value("5803906.7155", currency="EUR",
                             **{"value-date": "2024-01-01"}))  # fmt: skip
    element = E(
        "iati-activity", E("iati-identifier", "XM-DAC-41114-R"),
        E("reporting-org", E.narrative("PNUD"), ref="XM-DAC-41114", type="40"),
        E.title(E.narrative("Projet")), E("recipient-country", code="ML", percentage="100"),
        flow, **{"default-currency": "USD"},
    )  # fmt: skip
    _file(tmp_path, [element])
    batch = import_iati(tmp_path / "in.xml", country="ML")
    assert Transaction.objects.get().amount == Decimal("5803906.72")
    assert any(note["count"] == 1 and "centime" in note["reason"] for note in batch.notes)
