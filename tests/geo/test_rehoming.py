"""A new COD version becomes active: records of the old one follow by p-code where the
unit is the same, by their own point where they have one, and the rest are listed for
review; plans and pages keep working."""

import datetime
import json
import shutil

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from kafo.actors.models import Role
from kafo.geo.importing import import_boundaries
from kafo.geo.models import AdminUnit, CodVersion
from kafo.geo.rehoming import OWN_LINKS, to_review, unit_links
from kafo.mineaction.models import Accident
from kafo.response.models import Activity, Need
from tests.conftest import shared_data


def _unit(version, pcode):
    return AdminUnit.objects.get(cod_version=version, pcode=pcode)


def _renamed_copy(folder, tmp_path, pcode, name):
    """The same COD with one cercle renamed (as ML0101 changed meaning in 2021)."""
    copy = tmp_path / "cod2"
    shutil.copytree(folder, copy)
    path = copy / "adm2.geojson"
    collection = json.loads(path.read_text())
    for feature in collection["features"]:
        if feature["properties"]["ADM2_PCODE"] == pcode:
            feature["properties"]["ADM2_FR"] = name
    path.write_text(json.dumps(collection))
    return copy


@pytest.fixture
def two_versions(db, tiny_cod, tmp_path, organisation):
    import_boundaries(tiny_cod, "v1")
    old = CodVersion.objects.get(name="v1")
    org = organisation("HI")
    records = {
        "need": Need.objects.create(admin_unit=_unit(old, "ML0101"), sector="PRO-MIN",
                                    year=2026, in_need=10, organisation=org),
        "clash": Need.objects.create(admin_unit=_unit(old, "ML0102"), sector="PRO-MIN",
                                     year=2026, in_need=20, organisation=org),
        "accident": Accident.objects.create(
            reference="ACC-1", organisation=org, date=datetime.date(2026, 1, 5),
            longitude=3.5, latitude=1.5, admin_unit=_unit(old, "ML0201"),
            device_category="unknown", accident_type="civilian",
            activity_at_time="unknown", area_marked="unknown"),
        "activity": Activity.objects.create(organisation=org, title="EER", sector="PRO-MIN",
                                            activity_type="EORE"),
    }  # fmt: skip
    records["activity"].locations.add(_unit(old, "ML0201"), _unit(old, "ML0101"))
    import_boundaries(_renamed_copy(tiny_cod, tmp_path, "ML0201", "Cercle renommé"), "v2",
                      activate=False)  # fmt: skip
    new = CodVersion.objects.get(name="v2")
    # A figure already entered on the new version: moving the old one would repeat it.
    Need.objects.create(admin_unit=_unit(new, "ML0102"), sector="PRO-MIN", year=2026,
                        in_need=25, organisation=org)  # fmt: skip
    report = new.activate()
    return old, new, records, report


def test_the_same_unit_takes_its_records(two_versions):
    _old, new, records, report = two_versions
    records["need"].refresh_from_db()
    assert records["need"].admin_unit == _unit(new, "ML0101")
    assert _unit(new, "ML0101") in records["activity"].locations.all()
    assert report.by_pcode >= 2


def test_a_record_with_a_point_is_placed_by_its_point(two_versions):
    _old, new, records, report = two_versions
    records["accident"].refresh_from_db()
    # ML0201 was renamed, but the accident's point lies in the new version's ML0202.
    assert records["accident"].admin_unit == _unit(new, "ML0202")
    assert report.by_point == 1


def test_a_changed_unit_or_a_clash_is_listed_for_review(two_versions):
    _old, _new, records, report = two_versions
    listed = {(row["record"].pk, row["unit"].pcode) for rows in to_review().values()
              for row in rows}  # fmt: skip
    assert (records["activity"].pk, "ML0201") in listed  # renamed: not the same unit
    assert (records["clash"].pk, "ML0102") in listed  # its figure exists on the new unit
    assert report.to_review == len(listed) == 2


def test_every_relation_to_an_admin_unit_is_followed():
    """Found from the models' metadata, so a relation added later is followed too."""
    found = {(link.model._meta.label, link.name) for link in unit_links()}
    for model in apps.get_models():
        for link in model._meta.get_fields():
            if (link.is_relation and not link.auto_created and link.related_model is AdminUnit
                    and (link.many_to_one or link.many_to_many)):  # fmt: skip
                key = (model._meta.label, link.name)
                assert key in found or key in OWN_LINKS, key


def test_the_review_list_is_on_the_admin_units_page(two_versions, client, user_with_role):
    client.force_login(user_with_role(Role.COORDINATOR))
    page = client.get(reverse("geo:index")).content.decode()
    assert "ML0201" in page and "Cercle ML02-1" in page


@pytest.mark.realdata
@pytest.mark.django_db(transaction=True)
def test_the_demo_then_the_real_cod_ab_keeps_plans_and_pages_working(client, user_with_role):
    folder = shared_data("mali-cod-ab-2015")
    call_command("demo")
    call_command("import_boundaries", str(folder), version="2015")
    real = CodVersion.objects.get(name="2015")
    assert real.is_active
    # Every record now sits in the real units, or is listed for review.
    listed = sum(len(rows) for rows in to_review().values())
    for link in unit_links():
        if link.many_to_many:
            through = link.remote_field.through
            column = next(f.attname for f in through._meta.concrete_fields
                          if f.is_relation and f.related_model is AdminUnit)  # fmt: skip
            stale = through.objects.exclude(**{f"{column}__in": real.units.all()})
        else:
            stale = link.model._default_manager.exclude(**{link.attname: None}).exclude(
                **{f"{link.name}__in": real.units.all()})  # fmt: skip
        assert stale.count() <= listed, link
    # A joint plan computes (it failed with KeyError 44 before).
    call_command("plan", months=3, time_limit=10, format="json")
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    for name in ("priorities", "gaps", "equity", "plans", "community_coverage"):
        assert client.get(reverse(name)).status_code == 200, name
    for kind in ("hazard", "accident"):
        assert client.get(reverse("mineaction:list", args=[kind])).status_code == 200
