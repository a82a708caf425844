"""An Excel export too large for a request is written by a task: the request answers
with the file's page (progress, then the download), the file is the one the request
would have made (same rows, same columns for the same reader, stamped with the
request's audit reference), only its owner reaches it, and it goes after a while."""

import datetime
import io
import os
import time

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from kafo.response.models import Activity
from kafo.security.models import Action, AuditEvent, ExportFile, ExportStatus
from kafo.security.tasks import remove_old_exports, write_export

EXPORT = reverse("response:activity_export")


@pytest.fixture
def five(demo_geography, organisation):
    hi = organisation("HI")
    mopti = AdminUnit.objects.get(pcode="ML0501")
    for n, sector in enumerate(["PRO-MIN", "PRO-MIN", "EDU", "PRO-MIN", "EDU"]):
        activity = Activity.objects.create(
            organisation=hi, title=f"=EER {n}" if n == 0 else f"EER {n}", sector=sector,
            planned_start=datetime.date(2025, 1, 1 + n), reached_girls=10 * n,
        )  # fmt: skip
        activity.locations.set([mopti])
    return hi


@pytest.fixture
def reader(client, five, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER, five))
    return client


def _sheets(body: bytes) -> tuple[list[tuple], list[tuple]]:
    book = load_workbook(io.BytesIO(body), read_only=True)
    return [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)], [
        tuple(r) for r in book.worksheets[1].iter_rows(values_only=True)
    ]


def _by_task(client, settings, query: dict) -> ExportFile:
    settings.KAFO_EXPORT_ROWS_IN_REQUEST = 1
    response = client.get(EXPORT, {"format": "xlsx", **query})
    export = ExportFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("export_file", args=[export.pk])
    return export


def test_it_checks_access(reader, settings, plain_client, client, user_with_role, organisation):
    export = _by_task(reader, settings, {})
    urls = [reverse(name, args=[export.pk])
            for name in ("export_file", "export_progress", "export_download")]  # fmt: skip
    assert all(reader.get(url).status_code == 200 for url in urls)
    for url in urls:
        assert plain_client.get(url).status_code == 302  # to the login
    client.force_login(user_with_role(Role.COORDINATOR, organisation("DRC"), "other"))
    assert all(client.get(url).status_code == 404 for url in urls)  # not even its existence


def test_the_file_is_the_one_the_request_would_have_made(reader, settings):
    in_request = reader.get(EXPORT, {"format": "xlsx"})
    assert in_request.status_code == 200
    export = _by_task(reader, settings, {})
    assert export.status == ExportStatus.DONE and export.rows_done == 5 == export.rows_total
    page = reader.get(reverse("export_file", args=[export.pk])).content.decode()
    assert reverse("export_download", args=[export.pk]) in page and "Télécharger" in page
    download = reader.get(reverse("export_download", args=[export.pk]))
    by_task, stamp = _sheets(b"".join(download.streaming_content))
    direct, _stamp = _sheets(b"".join(in_request.streaming_content))
    assert by_task == direct and len(by_task) == 6  # header and the five rows
    assert "=EER 0" in {cell for row in by_task for cell in row}  # kept as text
    # The audit line of the request that asked for it, stamped in the file.
    event = AuditEvent.objects.filter(action=Action.EXPORT).order_by("-pk").first()
    assert export.event_id == event.pk and event.changes == {"rows": 5, "format": "xlsx"}
    assert f"référence d’audit {event.pk}" in stamp[0][0]


def test_the_lists_filters_are_kept(reader, settings):
    export = _by_task(reader, settings, {"sector": "EDU"})
    rows, _stamp = _sheets(export.path().read_bytes())
    title = rows[0].index("Intitulé")  # in French, as asked
    assert sorted(row[title] for row in rows[1:]) == ["EER 2", "EER 4"]


def test_below_the_bound_the_file_comes_at_once(reader, settings):
    settings.KAFO_EXPORT_ROWS_IN_REQUEST = 5
    assert reader.get(EXPORT, {"format": "xlsx"}).status_code == 200
    assert not ExportFile.objects.exists()


def test_a_file_being_written_shows_its_progress(reader, five, user_with_role):
    event = AuditEvent.objects.create(action=Action.EXPORT, username="x")
    user = user_with_role(Role.PARTNER_VIEWER, five, "waiting")
    export = ExportFile.objects.create(owner=user, what="5w", format="xlsx", event=event,
                                       rows_total=20000, rows_done=5000,
                                       status=ExportStatus.RUNNING)  # fmt: skip
    reader.force_login(user)
    page = reader.get(reverse("export_file", args=[export.pk])).content.decode()
    assert 'value="25"' in page and "5 000 sur 20 000 lignes écrites" in " ".join(page.split())
    assert reverse("export_progress", args=[export.pk]) in page  # polled by htmx
    progress = reader.get(reverse("export_progress", args=[export.pk]))
    assert "HX-Refresh" not in progress
    ExportFile.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED, error="disque plein")
    progress = reader.get(reverse("export_progress", args=[export.pk]))
    assert progress["HX-Refresh"] == "true" and "disque plein" in progress.content.decode()
    assert reader.get(reverse("export_download", args=[export.pk])).status_code == 404


def test_a_deactivated_owner_gets_no_file(five, user_with_role):
    event = AuditEvent.objects.create(action=Action.EXPORT, username="x")
    user = user_with_role(Role.PARTNER_VIEWER, five, "gone")
    export = ExportFile.objects.create(owner=user, what="5w", format="xlsx", event=event,
                                       rows_total=5)  # fmt: skip
    user.is_active = False
    user.save()
    assert write_export.call(str(export.pk)) == ExportStatus.FAILED
    export.refresh_from_db()
    assert "désactivé" in export.error and not export.path().exists()


def test_a_failure_is_recorded_and_leaves_no_file(five, user_with_role, monkeypatch):
    from kafo.security import exports

    def broken(viewer, params):
        raise OSError("disque plein")

    monkeypatch.setitem(exports.EXPORT_BUILDERS, "5w", broken)
    event = AuditEvent.objects.create(action=Action.EXPORT, username="x")
    user = user_with_role(Role.PARTNER_VIEWER, five, "full")
    export = ExportFile.objects.create(owner=user, what="5w", format="xlsx", event=event,
                                       rows_total=5)  # fmt: skip
    with pytest.raises(OSError):
        write_export.call(str(export.pk))
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "disque plein" in export.error
    assert not list(export.path().parent.glob(f"{export.pk}*"))  # nor a partial file


def test_old_files_go(reader, settings):
    export = _by_task(reader, settings, {})
    settings.KAFO_EXPORT_KEEP_HOURS = 1
    stray = export.path().parent / "not-an-export.xlsx"
    stray.write_bytes(b"x")
    assert remove_old_exports.call() == 0  # all still young
    old = time.time() - 2 * 3600
    os.utime(stray, (old, old))
    assert remove_old_exports.call() == 1 and not stray.exists() and export.path().exists()
    ExportFile.objects.filter(pk=export.pk).update(
        created_at=export.created_at - datetime.timedelta(hours=2)
    )
    os.utime(export.path(), (old, old))
    assert remove_old_exports.call() == 1
    assert not ExportFile.objects.exists() and not export.path().exists()
