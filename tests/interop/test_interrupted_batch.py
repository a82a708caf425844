"""A batch whose process stopped (a server restart mid-import) is marked failed with the
reason instead of showing a progress bar for ever; one still running is left alone."""

import io

import pytest
from django.urls import reverse

from kafo import background
from kafo.actors.models import Role
from kafo.interop import runner
from kafo.interop.models import ImportBatch


@pytest.fixture
def editor(user_with_role, organisation):
    return user_with_role(Role.PARTNER_EDITOR, organisation("HI"))


def _running(editor, runner: str) -> ImportBatch:
    return ImportBatch.objects.create(
        kind="activities", filename="5w.csv", status="running", runner=runner,
        organisation=editor.membership.organisation, rows_total=200, rows_done=50,
    )  # fmt: skip


def test_a_batch_whose_process_stopped_fails_with_the_reason(client, editor, stopped_runner):
    client.force_login(editor)
    batch = _running(editor, stopped_runner)
    response = client.get(reverse("interop:batch_progress", args=[batch.pk]))
    assert response["HX-Refresh"] == "true"
    batch.refresh_from_db()
    assert batch.status == "failed" and "interrompu" in batch.file_error.lower()
    page = client.get(reverse("interop:batch", args=[batch.pk])).content.decode()
    assert "importez à nouveau le fichier" in page


def test_its_uploaded_file_is_deleted(client, editor, stopped_runner):
    client.force_login(editor)
    batch = _running(editor, stopped_runner)
    left = runner.upload_path(batch, ".csv")
    left.write_text("#org+impl,#meta+id\nHI,secret-row\n")
    other = runner.upload_path(_running(editor, background.this_process()), ".csv")
    other.write_text("#org+impl\nHI\n")
    client.get(reverse("interop:batch", args=[batch.pk]))
    assert not left.exists() and other.exists()  # a batch still running keeps its file


def test_the_list_shows_it_failed_too(client, editor, stopped_runner):
    client.force_login(editor)
    batch = _running(editor, stopped_runner)
    client.get(reverse("interop:batches"))
    batch.refresh_from_db()
    assert batch.status == "failed"


def test_a_batch_still_running_keeps_its_progress_bar(client, editor):
    client.force_login(editor)
    batch = _running(editor, background.this_process())
    response = client.get(reverse("interop:batch_progress", args=[batch.pk]))
    assert "HX-Refresh" not in response and 'value="25"' in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == "running"


def test_an_upload_records_the_process_running_it_and_leaves_no_file(
    client, editor, demo_geography
):
    client.force_login(editor)
    upload = io.BytesIO(b"#org+impl,#sector,#meta+id,#adm2+code\nOrganisation HI,PRO,A,ML0501\n")
    upload.name = "5w.csv"
    client.post(reverse("interop:upload"), {"kind": "activities", "file": upload})
    batch = ImportBatch.objects.get()
    assert batch.runner == background.this_process() and batch.status == "imported"
    assert not list(runner.upload_folder().glob(f"batch-{batch.pk}.*"))
