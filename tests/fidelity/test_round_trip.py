"""Every kind Kafo imports goes out and comes back the same: export → import into an empty
database → export is identical (the audit stamp and Kafo's own row numbers aside), read
by libhxl."""

import datetime
from decimal import Decimal

import hxl
import pytest
import shapely
from django.core.management import call_command
from hxl.input import InputOptions

from kafo.actors.models import Organisation
from kafo.geo.models import AdminUnit
from kafo.interop.importers import IMPORTERS
from kafo.response.models import Activity, Need

# Kafo's own numbering of rows: not data, renumbered in another database.
NUMBERS = {"#activity+id+x_kafo", "#event+id+x_kafo", "#loc+id+x_kafo"}


def _export(tmp_path, kind: str, name: str) -> list[dict]:
    out = tmp_path / f"{name}.csv"
    call_command("export_hxl", kind, "-o", str(out), "--audience", "national")
    rows = []
    for row in hxl.data(str(out), InputOptions(allow_local=True)):
        rows.append({str(col.display_tag): value for col, value in zip(row.columns, row.values,
                                                                       strict=True)
                     if str(col.display_tag) not in NUMBERS})  # fmt: skip
    for row in rows:
        if row.get("#geo+wkt"):  # the same polygon, whichever corner its ring starts at
            row["#geo+wkt"] = shapely.from_wkt(row["#geo+wkt"]).normalize().wkt
    return sorted(rows, key=lambda r: sorted(r.items()))


@pytest.fixture
def data(demo_geography, organisation):
    hi = organisation("HI", name="Humanité & Inclusion", iati_identifier="GB-CHC-1234")
    organisation("AMSS", "national_ngo", name="Association malienne pour la survie au Sahel")
    first = Activity.objects.create(
        organisation=hi, title="Éducation aux risques, Sévaré", sector="PRO-MIN",
        activity_type="EORE", status="ongoing", planned_start=datetime.date(2025, 1, 6),
        planned_end=datetime.date(2025, 6, 30), budget=Decimal("250000.50"), currency="XOF",
        reached_girls=40, reached_boys=35, reached_women=20, reached_men=5, reached_unknown=7,
        source_id="HI-1",
    )  # fmt: skip
    first.locations.set(AdminUnit.objects.active().filter(pcode__in=["ML0501", "ML0504"]))
    second = Activity.objects.create(organisation=hi, title="Enquête", sector="PRO-MIN",
                                     activity_type="NTS", status="planned")  # fmt: skip
    second.locations.set(AdminUnit.objects.active().filter(pcode="ML07"))
    for pcode, figure in [("ML0501", 12000), ("ML07", 3000)]:
        Need.objects.create(admin_unit=AdminUnit.objects.active().get(pcode=pcode),
                            sector="PRO-MIN", year=2025, in_need=figure, source="HNO")  # fmt: skip


@pytest.mark.parametrize("kind", ["organisations", "activities", "needs"])
def test_export_import_export_is_identical(tmp_path, data, kind):
    before = _export(tmp_path, kind, "before")
    out = tmp_path / "before.csv"
    # An empty database of this kind (the organisations stay for the other kinds, which
    # name them; emptied last for their own round trip).
    for model in {"activities": [Activity], "needs": [Need],
                  "organisations": [Activity, Need, Organisation]}[kind]:  # fmt: skip
        model.objects.all().delete()
    batch = IMPORTERS[kind](out)
    assert batch.status == "imported" and batch.dropped == 0, batch.notes
    assert _export(tmp_path, kind, "after") == before


@pytest.mark.parametrize("kind", ["hazards", "incidents"])
def test_records_go_out_and_come_back_through_validation(tmp_path, mine_action, coordinator,
                                                         user_with_role, kind):  # fmt: skip
    from kafo.actors.models import Role
    from kafo.mineaction import reports
    from kafo.mineaction.models import Accident, FieldReport, Hazard

    editor = user_with_role(Role.PARTNER_EDITOR)
    if kind == "hazards":
        mine_action.hazard(editor, name="Puits")
    else:
        mine_action.accident(editor)
    before = _export(tmp_path, kind, "before")
    FieldReport.objects.all().delete()
    (Hazard if kind == "hazards" else Accident).objects.all().delete()
    batch = IMPORTERS[kind](tmp_path / "before.csv", user=coordinator)
    assert batch.status == "imported" and batch.dropped == 0, (batch.notes, batch.report())
    for report in FieldReport.objects.all():
        reports.verify(report, coordinator)
        reports.accept(report, coordinator)
        reports.validate(report, coordinator)
    assert _export(tmp_path, kind, "after") == before
