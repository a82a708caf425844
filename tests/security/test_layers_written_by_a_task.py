"""A map layer's GeoPackage with too many records for a request is written by a task: the
request answers with the file's page, and the file is the one the request would have
made (same features for the same reader, the map's filters kept, stamped with the
request's audit reference), read back here by GDAL through pyogrio."""

import datetime

import pyogrio
import pytest
from django.urls import reverse
from pyogrio.raw import read

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from kafo.response.models import Activity
from kafo.security.models import Action, AuditEvent, ExportFile, ExportStatus
from kafo.security.tasks import write_export

ACTIVITIES = reverse("response:activities_geojson")
ACCIDENTS = "/mineaction/layers/accident.geojson"


@pytest.fixture
def five(demo_geography, organisation):
    hi = organisation("HI")
    mopti, gao = AdminUnit.objects.get(pcode="ML0501"), AdminUnit.objects.get(pcode="ML0701")
    for n, sector in enumerate(["PRO-MIN", "PRO-MIN", "EDU", "PRO-MIN", "EDU"]):
        activity = Activity.objects.create(
            organisation=hi, title=f"EER {n}", sector=sector,
            planned_start=datetime.date(2025, 1, 1 + n),
            points=[[-4.1 - n / 10, 14.2]] if n % 2 else [],
        )  # fmt: skip
        activity.locations.set([mopti, gao] if n == 4 else [mopti])
    return hi


def _features(body: bytes, tmp_path, name: str) -> tuple[list, dict]:
    path = tmp_path / name
    path.write_bytes(body)
    meta, _fids, geometry, fields = read(str(path))
    names = list(meta["fields"])
    rows = sorted(zip(list(geometry), *(list(f) for f in fields), strict=True))
    layer = pyogrio.list_layers(str(path))[0][0]
    return rows, pyogrio.read_info(str(path), layer=layer)["layer_metadata"] | {"names": names}


def _by_task(client, settings, url: str, query: dict) -> ExportFile:
    settings.KAFO_EXPORT_ROWS_IN_REQUEST = 1
    response = client.get(url, {"download": "gpkg", **query})
    export = ExportFile.objects.get()
    assert response.status_code == 302, response.content[:300]
    assert response["Location"] == reverse("export_file", args=[export.pk])
    return export


def test_the_5w_layer_is_the_one_the_request_would_have_made(client, five, user_with_role,
                                                             settings, tmp_path):  # fmt: skip
    client.force_login(user_with_role(Role.PARTNER_VIEWER, five))
    in_request = client.get(ACTIVITIES, {"download": "gpkg"})
    assert in_request.status_code == 200
    direct, _meta = _features(in_request.getvalue(), tmp_path, "direct.gpkg")
    export = _by_task(client, settings, ACTIVITIES, {})
    assert export.format == "gpkg" and export.status == ExportStatus.DONE
    assert export.rows_done == 5 == export.rows_total  # records, not features
    download = client.get(reverse("export_download", args=[export.pk]))
    assert download["Content-Disposition"].endswith('.gpkg"')
    assert download["Content-Type"] == "application/geopackage+sqlite3"
    by_task, meta = _features(b"".join(download.streaming_content), tmp_path, "task.gpkg")
    assert by_task == direct and len(by_task) == 6  # the fifth works in two cercles
    event = AuditEvent.objects.filter(action=Action.EXPORT).order_by("-pk").first()
    assert export.event_id == event.pk and event.changes == {"rows": 5, "format": "gpkg"}
    assert f"référence d’audit {event.pk}" in meta["kafo_export"]


def test_the_maps_filters_are_kept(client, five, user_with_role, settings, tmp_path):
    client.force_login(user_with_role(Role.PARTNER_VIEWER, five))
    export = _by_task(client, settings, ACTIVITIES, {"sector": "EDU"})
    rows, meta = _features(export.path().read_bytes(), tmp_path, "edu.gpkg")
    references = {row[1 + meta["names"].index("reference")] for row in rows}
    assert references == {"EER 2", "EER 4"} and export.rows_total == 2


def test_a_record_layer_is_written_by_a_task_too(client, mine_action, coordinator, settings,
                                                 tmp_path):  # fmt: skip
    for n in range(3):
        mine_action.accident(coordinator, longitude=-4.0 - n / 10, latitude=14.0)
    client.force_login(coordinator)
    direct, _meta = _features(client.get(ACCIDENTS, {"download": "gpkg"}).getvalue(), tmp_path,
                              "direct.gpkg")  # fmt: skip
    export = _by_task(client, settings, ACCIDENTS, {})
    assert export.what == "accident" and export.status == ExportStatus.DONE
    by_task, _meta = _features(export.path().read_bytes(), tmp_path, "task.gpkg")
    assert by_task == direct and len(by_task) == 3


def test_below_the_bound_the_file_comes_at_once(client, five, user_with_role, settings):
    settings.KAFO_EXPORT_ROWS_IN_REQUEST = 5
    client.force_login(user_with_role(Role.PARTNER_VIEWER, five))
    assert client.get(ACTIVITIES, {"download": "gpkg"}).status_code == 200
    assert not ExportFile.objects.exists()


def test_a_failure_leaves_no_file(five, user_with_role, monkeypatch):
    from kafo.security import exports

    def broken(viewer, params):
        raise OSError("disque plein")

    monkeypatch.setitem(exports.LAYER_BUILDERS, "activities", broken)
    event = AuditEvent.objects.create(action=Action.EXPORT, username="x")
    user = user_with_role(Role.PARTNER_VIEWER, five, "full")
    export = ExportFile.objects.create(owner=user, what="activities", format="gpkg",
                                       event=event, rows_total=5)  # fmt: skip
    with pytest.raises(OSError):
        write_export.call(str(export.pk))
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "disque plein" in export.error
    assert not list(export.path().parent.glob(f"{export.pk}*"))


def test_donors_get_no_record_layer_from_a_task(mine_action, coordinator, user_with_role):
    mine_action.accident(coordinator)
    event = AuditEvent.objects.create(action=Action.EXPORT, username="x")
    donor = user_with_role(Role.DONOR_VIEWER)
    export = ExportFile.objects.create(owner=donor, what="accident", format="gpkg",
                                       event=event, rows_total=1)  # fmt: skip
    with pytest.raises(Exception, match="bailleurs"):
        write_export.call(str(export.pk))
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and not export.path().exists()
