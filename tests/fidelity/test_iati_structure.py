"""IATI structure kept: AFD's programmes and projects (each amount counted once), a
regional activity's share for Mali, and UNDP's locations placed in their admin units.
Expected values come from lxml and, for places, from shapely over the shapefile read by
pyogrio: not from Kafo."""

from decimal import Decimal

import pyogrio
import pytest
import shapely
from lxml import etree

from kafo.funding.models import Transaction
from kafo.funding.summaries import per_donor
from kafo.interop.iati_import import import_iati
from kafo.response.models import Activity
from kafo.response.strategies.progress import counted_in_children, country_share
from tests.conftest import shared_data

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]
FOR_MALI = "//iati-activity[recipient-country/@code='ML']"


def _budget(activity) -> Decimal:
    statuses = {b.get("status") or "1" for b in activity.xpath("budget")}
    wanted = "2" if "2" in statuses else "1"
    return sum((Decimal(b.findtext("value")) for b in activity.xpath("budget")
                if (b.get("status") or "1") == wanted), Decimal(0))  # fmt: skip


def test_afd_s_programmes_are_not_counted_beside_their_projects():
    path = shared_data("iati/dportal_14.xml")
    activities = etree.parse(str(path)).xpath(FOR_MALI)
    in_file = {a.findtext("iati-identifier") for a in activities}
    # Counted once: a programme only where none of its projects is in the file.
    expected = sum(
        _budget(a) * Decimal(a.xpath("string(recipient-country[@code='ML']/@percentage)")) / 100
        for a in activities
        if not any(r.get("type") == "2" and r.get("ref") in in_file
                   for r in a.xpath("related-activity"))
    )  # fmt: skip
    import_iati(path, country="ML")
    imported = set(Activity.objects.values_list("source_id", flat=True))
    counted = sum(
        a.budget * country_share(a)
        for a in Activity.objects.all()
        if not counted_in_children(a, imported)
    )
    assert counted == expected
    parent = Activity.objects.get(source_id="FR-3-CML1465")
    assert {r["ref"] for r in parent.iati["related"]} >= {"FR-3-CML146501", "FR-3-CML146502"}
    assert parent.iati["hierarchy"] == "1"


def test_a_regional_activity_s_flows_count_for_mali_s_share():
    import_iati(shared_data("iati/dportal_14.xml"), country="ML")
    flows = Transaction.objects.filter(activity__source_id="FR-3-CZZ236101")
    assert {f.country_share for f in flows} == {Decimal("0.33")}
    assert sum(f.amount for f in flows.filter(type="2")) == Decimal(8_000_000)  # as published
    from kafo.currencies.models import ExchangeRate

    ExchangeRate.objects.create(currency="EUR", date="2000-01-01", to_usd=1, source="test")
    from kafo.funding.conversion import convert_pending

    convert_pending()
    [afd] = [row for row in per_donor(flows) if row["committed"]]
    assert afd["committed"] == Decimal("2640000.00")  # 33 % of 8 M


def test_undp_s_locations_are_placed_in_their_admin_units():
    from kafo.geo.importing import import_boundaries

    cod = shared_data("mali-cod-ab-2015")
    assert import_boundaries(cod, "2015").ok
    path = shared_data("iati/dportal_94.xml")
    communes = pyogrio.read_dataframe(cod / "mli_admbnda_adm3_gov_ocha.shp")
    expected = {}
    for activity in etree.parse(str(path)).xpath(FOR_MALI):
        places = set()
        for pos in activity.xpath("location/point/pos/text()"):
            lat, lon = (float(v) for v in pos.split())
            hit = communes[shapely.contains(communes.geometry.values, shapely.Point(lon, lat))]
            places |= set(hit["admin3Pcod"])
        expected[activity.findtext("iati-identifier")] = places
    batch = import_iati(path, country="ML")
    stored = {a.source_id: {u.pcode for u in a.locations.all()} for a in Activity.objects.all()}
    assert stored == expected and any(expected.values())
    assert not [n for n in batch.notes if "aucune unité" in n["reason"]]
