"""The real IATI files of Mali: every transaction stored, with its sign and its own
currency, on a fresh database with no exchange rate. Sums are compared per reporting
organisation, transaction type and currency with what lxml's XPath reads in the file
(an independent reader, not Kafo's parser)."""

from collections import defaultdict
from decimal import Decimal

import pytest
from lxml import etree

from kafo.funding.models import Transaction
from kafo.interop.iati_import import import_iati
from tests.conftest import shared_data

FILES = ["iati/dportal_69.xml", "iati/dportal_94.xml", "iati/dportal_14.xml"]
FOR_MALI = ("//iati-activity[recipient-country/@code='ML' "
            "or transaction/recipient-country/@code='ML']")  # fmt: skip


def _sums_in_file(path) -> dict[tuple[str, str, str], Decimal]:
    sums: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for activity in etree.parse(str(path)).xpath(FOR_MALI):
        reporter = activity.xpath("string(reporting-org/@ref)").strip().upper()
        default = activity.get("default-currency") or "USD"
        for flow in activity.xpath("transaction"):
            code = flow.xpath("string(transaction-type/@code)")
            currency = (flow.xpath("string(value/@currency)") or default).upper()
            sums[reporter, code, currency] += Decimal(flow.xpath("string(value)").strip())
    return dict(sums)


def _sums_stored() -> dict[tuple[str, str, str], Decimal]:
    sums: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for flow in Transaction.objects.select_related("activity"):
        reporter = flow.activity.iati["reporting_org"]["ref"].upper()
        sums[reporter, flow.type, flow.currency] += flow.amount
    return dict(sums)


@pytest.mark.realdata
@pytest.mark.parametrize("name", FILES)
def test_every_transaction_is_stored_with_its_sign(db, name):
    path = shared_data(name)
    expected = _sums_in_file(path)
    batch = import_iati(path, country="ML")
    assert batch.status == "imported", batch.report()
    assert _sums_stored() == expected
    count = len(etree.parse(str(path)).xpath(f"{FOR_MALI}/transaction"))
    assert Transaction.objects.count() == count
    assert (batch.pending, batch.dropped) == (count, 0)  # no rate yet: all wait, none lost


@pytest.mark.realdata
def test_undps_flows_net_out_their_reversals(db):
    import_iati(shared_data("iati/dportal_94.xml"), country="ML")
    undp = Transaction.objects.filter(activity__iati__reporting_org__ref="XM-DAC-41114")
    negative = sorted((t.type, t.amount) for t in undp if t.amount < 0)
    assert negative == [("3", Decimal(-120000)), ("4", Decimal(-10321)), ("4", Decimal(-1475))]
    assert sum(t.amount for t in undp.filter(type="3")) == Decimal(599000)


@pytest.mark.realdata
def test_echo_sectors_follow_their_humanitarian_clusters(db):
    """Each ECHO activity's sector is its largest humanitarian global cluster (vocabulary
    10), as lxml reads it; none is filed as Shelter from an emergency DAC code."""
    from kafo.interop.iati_import import CLUSTERS
    from kafo.response.models import Activity

    path = shared_data("iati/dportal_69.xml")
    expected = {}
    for activity in etree.parse(str(path)).xpath(FOR_MALI):
        clusters = [(float(s.get("percentage") or 0), s.get("code"))
                    for s in activity.xpath("sector[@vocabulary='10']")]  # fmt: skip
        if clusters:
            expected[activity.findtext("iati-identifier")] = CLUSTERS[max(clusters)[1]]
    import_iati(path, country="ML")
    stored = {a.source_id: a.sector for a in Activity.objects.all()}
    assert {k: stored[k] for k in expected} == expected and len(expected) == 13
    assert "SHL" not in stored.values()
    unmapped = Activity.objects.get(source_id__endswith="2020/91000")  # only DAC 72010
    assert unmapped.sector == "UNK" and unmapped.iati["sector_mapping"] == {"via": "none"}
