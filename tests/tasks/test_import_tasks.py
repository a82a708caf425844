"""An upload is a task for a worker: the page waits with its queue position, the worker
imports it, and bad input (a file gone, an account deleted) fails that batch with a
reason without stopping the worker."""

import io

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from kafo.actors.models import Role
from kafo.interop import tasks as import_tasks
from kafo.interop.models import ImportBatch
from kafo.response.models import Activity

ROWS = b"#org+impl,#sector,#meta+id,#adm2+code\nOrganisation HI,PRO,A,ML0501\n"


@pytest.fixture
def editor(user_with_role, organisation):
    return user_with_role(Role.PARTNER_EDITOR, organisation("HI"))


def _upload(client, editor) -> ImportBatch:
    client.force_login(editor)
    upload = io.BytesIO(ROWS)
    upload.name = "5w.csv"
    client.post(reverse("interop:upload"), {"kind": "activities", "file": upload})
    return ImportBatch.objects.get()


def test_an_upload_waits_for_a_worker_then_is_imported(client, editor, demo_geography,
                                                       worker):  # fmt: skip
    batch = _upload(client, editor)
    assert batch.status == "running" and batch.task_id
    assert import_tasks.upload_path(batch, ".csv").exists()  # kept for the worker
    progress = client.get(reverse("interop:batch_progress", args=[batch.pk])).content.decode()
    assert "aucun worker ne tourne" in progress
    worker()
    batch.refresh_from_db()
    assert batch.status == "imported" and Activity.objects.count() == 1
    assert not list(import_tasks.upload_folder().glob(f"batch-{batch.pk}.*"))
    assert DBTaskResult.objects.get(pk=batch.task_id).status == "SUCCESSFUL"
    response = client.get(reverse("interop:batch_progress", args=[batch.pk]))
    assert response["HX-Refresh"] == "true"


def test_the_page_says_how_many_tasks_are_before_it(client, editor, demo_geography, queued):
    from kafo.tasks.worker import Heartbeat

    Heartbeat("w", ["*"]).beat()
    _upload(client, editor)
    upload = io.BytesIO(ROWS)
    upload.name = "second.csv"
    client.post(reverse("interop:upload"), {"kind": "activities", "file": upload})
    second = ImportBatch.objects.get(filename="second.csv")
    page = client.get(reverse("interop:batch", args=[second.pk])).content.decode()
    assert "En attente d’un worker : 1 tâche avant celle-ci." in page


def test_a_vanished_file_fails_its_batch_not_the_worker(client, editor, demo_geography,
                                                        worker):  # fmt: skip
    batch = _upload(client, editor)
    import_tasks.upload_path(batch, ".csv").unlink()
    worker()
    batch.refresh_from_db()
    assert batch.status == "failed" and "n’est plus sur le serveur" in batch.file_error


def test_an_account_deleted_meanwhile_fails_its_batch(client, editor, demo_geography, worker):
    batch = _upload(client, editor)
    editor.is_active = False
    editor.save()
    worker()
    batch.refresh_from_db()
    assert batch.status == "failed" and "désactivé" in batch.file_error
    assert not list(import_tasks.upload_folder().glob(f"batch-{batch.pk}.*"))


def test_a_deleted_batch_fails_its_task_and_the_next_one_runs(client, editor, demo_geography,
                                                               worker):  # fmt: skip
    first = _upload(client, editor)
    upload = io.BytesIO(ROWS)
    upload.name = "second.csv"
    client.post(reverse("interop:upload"), {"kind": "activities", "file": upload})
    task_id = first.task_id
    first.delete()
    worker()
    assert DBTaskResult.objects.get(pk=task_id).status == "FAILED"
    assert ImportBatch.objects.get().status == "imported"


def test_a_batch_already_over_is_not_imported_twice(client, editor, demo_geography, worker):
    batch = _upload(client, editor)
    worker()
    assert import_tasks.run_import.call(batch.pk, path="/nowhere.csv") == "imported"
    assert Activity.objects.count() == 1
