"""A record's source identifier is kept apart from Kafo's reference: a partner file whose
own identifiers look like Kafo's ("ACC-000001") updates its own records on a second
import, never another record; and a Kafo export (references marked +x_kafo) imports back
as the same records, hazards and incidents alike."""

import pytest
from django.core.management import call_command

from kafo.actors.models import Role
from kafo.interop.records import import_hazards, import_incidents
from kafo.mineaction import reports
from kafo.mineaction.models import Accident, FieldReport, Hazard

INCIDENTS = (
    "#event+id,#date+occurred,#geo+lon,#geo+lat,#indicator+device,#event+type,"
    "#indicator+activity,#indicator+marked,#loc+name\n"
)


def _incidents(tmp_path, rows, name="incidents.csv"):
    path = tmp_path / name
    path.write_text(INCIDENTS + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _row(ident, day, lon="-4.2"):
    return (
        f"{ident},2024-05-{day:02d},{lon},14.5,improvised_mine,civil,travelling_vehicle,non,Route"
    )


def _validate_all(coordinator):
    for report in FieldReport.objects.filter(status="submitted").order_by("id"):
        reports.verify(report, coordinator)
        reports.accept(report, coordinator)
        reports.validate(report, coordinator)


@pytest.fixture
def editor(demo_geography, user_with_role, organisation):
    return user_with_role(Role.PARTNER_EDITOR, organisation("HI"))


def test_a_partner_s_own_identifiers_never_land_on_kafo_s_references(tmp_path, editor,
                                                                     coordinator):  # fmt: skip
    # The partner numbers its incidents like Kafo does, in another order.
    path = _incidents(tmp_path, [_row("ACC-000002", 1), _row("ACC-000001", 2)])
    first = import_incidents(path, user=editor)
    assert (first.status, first.created) == ("imported", 2)
    _validate_all(coordinator)
    by_source = {r.source: r.record_reference for r in FieldReport.objects.all()}
    # Kafo numbers in its own order (file order), whatever the partner's numbers say; the
    # numbers themselves depend on the database's sequences, so only their order is fixed.
    assert by_source["hxl:ACC-000002"] < by_source["hxl:ACC-000001"]
    changed = _incidents(tmp_path, [_row("ACC-000002", 1, lon="-4.3"), _row("ACC-000001", 2)])
    again = import_incidents(changed, user=editor)
    assert (again.created, again.updated) == (0, 1), again.report()
    correction = FieldReport.objects.order_by("id").last()
    assert correction.source == "hxl:ACC-000002"
    assert correction.record_reference == by_source["hxl:ACC-000002"]
    assert Accident.objects.count() == 2


def test_an_identifier_equal_to_another_record_s_reference_is_not_that_record(
    tmp_path, editor, coordinator
):
    import_incidents(_incidents(tmp_path, [_row("P-1", 1), _row("P-2", 2)]), user=editor)
    _validate_all(coordinator)
    kafo_reference = FieldReport.objects.get(source="hxl:P-2").record_reference
    # The partner's next file uses, as its own new identifier, Kafo's reference of P-2.
    batch = import_incidents(_incidents(tmp_path, [_row(kafo_reference, 3)]), user=editor)
    assert (batch.created, batch.updated) == (1, 0), batch.report()
    new = FieldReport.objects.get(source=f"hxl:{kafo_reference}")
    assert new.record_reference != kafo_reference


def test_another_organisation_s_identifier_is_not_matched(tmp_path, editor, user_with_role,
                                                          organisation):  # fmt: skip
    import_incidents(_incidents(tmp_path, [_row("INC-1", 1)]), user=editor)
    other = user_with_role(Role.PARTNER_EDITOR, organisation("DRC"))
    batch = import_incidents(_incidents(tmp_path, [_row("INC-1", 1)]), user=other)
    assert (batch.created, batch.updated) == (1, 0)
    assert FieldReport.objects.values("record_reference").distinct().count() == 2


@pytest.mark.parametrize("kind", ["incidents", "hazards"])
def test_a_kafo_export_imports_back_as_the_same_records(tmp_path, mine_action, editor,
                                                        coordinator, kind):  # fmt: skip
    if kind == "hazards":
        mine_action.hazard(editor, name="Puits")
        importer, model = import_hazards, Hazard
    else:
        import_incidents(_incidents(tmp_path, [_row("INC-1", 1)]), user=editor)
        _validate_all(coordinator)
        importer, model = import_incidents, Accident
    out = tmp_path / "export.csv"
    call_command("export_hxl", kind, "-o", str(out), "--audience", "national")
    assert "+x_kafo" in out.read_text(encoding="utf-8")
    before = FieldReport.objects.count()
    batch = importer(out, user=coordinator)
    assert (batch.status, batch.created, batch.updated) == ("imported", 0, 0), batch.report()
    assert FieldReport.objects.count() == before and model.objects.count() == 1
