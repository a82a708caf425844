"""HXL exports in HXL 1.1's shape, as libhxl reads them: admin units one column per level
(#adm1+code, #adm2+code…), no generic #adm nor #area hashtag, a hashtag row in every
file; and they import back."""

import hxl
import pytest
from django.core.management import call_command
from hxl.input import InputOptions

from kafo.actors.models import Role
from kafo.interop.activities import import_activities
from kafo.response.models import Activity

CORE = {"adm1", "adm2", "adm3", "loc", "geo", "org", "sector", "activity", "date", "status",
        "affected", "reached", "targeted", "inneed", "population", "value", "currency", "meta",
        "indicator", "item", "event", "service", "country", "description", "output"}  # fmt: skip


def _read(path):
    return hxl.data(str(path), InputOptions(allow_local=True))


@pytest.mark.parametrize("kind", ["activities", "hazards", "incidents", "needs"])
def test_every_hashtag_is_core_or_an_extension(tmp_path, mine_action, user_with_role, kind,
                                               client):  # fmt: skip
    editor = user_with_role(Role.PARTNER_EDITOR)
    accident = mine_action.accident(editor)
    mine_action.hazard(editor)
    activity = Activity.objects.create(organisation=accident.organisation, title="EER",
                                       sector="PRO-MIN", activity_type="EORE")  # fmt: skip
    from kafo.geo.models import AdminUnit
    from kafo.response.models import Need

    activity.locations.set(AdminUnit.objects.active().filter(pcode__in=["ML0501", "ML0504"]))
    Need.objects.create(admin_unit=AdminUnit.objects.active().get(pcode="ML0501"),
                        sector="PRO-MIN", year=2025, in_need=10)  # fmt: skip
    out = tmp_path / f"{kind}.csv"
    call_command("export_hxl", kind, "-o", str(out), "--audience", "national")
    tags = [column.tag for column in _read(out).columns if column.tag]
    assert tags, "a hashtag row"
    assert {tag[1:] for tag in tags} - CORE <= {t[1:] for t in tags if t.startswith("#x_")}
    assert "#adm" not in tags and "#area" not in tags
    assert "#adm1" in tags and "#adm2" in tags


def test_an_activity_s_places_go_out_by_level_and_come_back(tmp_path, demo_geography,
                                                            organisation):  # fmt: skip
    from kafo.geo.models import AdminUnit

    activity = Activity.objects.create(organisation=organisation("HI"), title="EER",
                                       sector="PRO-MIN", activity_type="EORE")  # fmt: skip
    activity.locations.set(AdminUnit.objects.active().filter(pcode__in=["ML0501", "ML0504"]))
    out = tmp_path / "5w.csv"
    call_command("export_hxl", "activities", "-o", str(out), "--audience", "national")
    [row] = list(_read(out))
    assert (row.get("#adm1+code"), row.get("#adm2+code")) == ("ML05", "ML0501 ML0504")
    assert import_activities(out).status == "imported"
    assert sorted(u.pcode for u in Activity.objects.get().locations.all()) == ["ML0501", "ML0504"]
