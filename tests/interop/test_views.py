"""The import pages: upload, report, correction of rejected rows, templates, review."""

import io

import openpyxl
import pytest
from django.urls import reverse

from kafo.actors.models import Organisation, Role
from kafo.interop.models import ImportBatch
from kafo.response.models import Activity

FILE = ("#org+impl,#sector,#activity+name,#meta+id,#adm2+code\n"
        "{org},Lutte antimines,EER,X-1,ML0501\n"
        "{org},Jardinage,Potager,X-2,ML0501\n")  # fmt: skip


@pytest.fixture
def editor(user_with_role, organisation, demo_geography):
    return user_with_role(Role.PARTNER_EDITOR, organisation("HI", name="Humanité Inclusion"))


def _upload(client, text, name="5w.csv", **data):
    upload = io.BytesIO(text.encode())
    upload.name = name
    return client.post(reverse("interop:upload"), {"kind": "activities", "file": upload, **data})


def test_it_checks_access(plain_client, editor, user_with_role):
    assert plain_client.get(reverse("interop:upload")).status_code == 302
    plain_client.force_login(user_with_role(Role.PARTNER_VIEWER))
    assert plain_client.get(reverse("interop:upload")).status_code == 403


def test_an_upload_with_a_bad_row_is_kept_and_its_corrected_rows_import(client, editor):
    client.force_login(editor)
    response = _upload(client, FILE.format(org="Humanité Inclusion"))
    batch = ImportBatch.objects.get()
    assert response.url == reverse("interop:batch", args=[batch.pk])
    assert (batch.status, batch.rejected, batch.created_by) == ("rejected", 1, editor)
    page = client.get(response.url).content.decode()
    assert "Jardinage" in page and "PRO-MIN" in page  # the value and the valid codes
    row = batch.rejected_rows.exclude(errors=[]).get()
    index = list(row.values).index(next(k for k in row.values if k.startswith("#sector")))
    response = client.post(reverse("interop:resubmit", args=[batch.pk]),
                           {f"r{row.pk}c{index}": "Protection"})  # fmt: skip
    corrected = ImportBatch.objects.latest("pk")
    # The whole file: the valid row held by the rejected batch and the corrected one.
    assert (corrected.status, corrected.created) == ("imported", 2), corrected.report()
    assert Activity.objects.get(source_id="X-2").sector == "PRO"
    assert Activity.objects.get(source_id="X-1").sector == "PRO-MIN"


def test_accepting_valid_rows_and_a_partner_importing_for_another(client, editor, organisation):
    organisation("DRC", name="Danish Refugee Council")
    client.force_login(editor)
    text = FILE.format(org="Humanité Inclusion") + "Danish Refugee Council,PRO,X,X-3,ML0501\n"
    _upload(client, text, accept_valid="on")
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.accepted, batch.rejected) == ("partial", 1, 2)
    reasons = " ".join(e["reason"] for e in batch.report()["errors"])
    assert "votre organisation" in reasons


def test_a_file_of_another_type_is_refused_before_any_batch(client, editor):
    client.force_login(editor)
    response = _upload(client, "MZ\x90\x00", name="virus.exe")
    assert response.status_code == 200 and not ImportBatch.objects.exists()
    assert ".xlsx" in response.content.decode()


def test_the_progress_bar_polls_while_running_and_reloads_when_done(client, editor):
    client.force_login(editor)
    batch = ImportBatch.objects.create(kind="activities", filename="x.csv", status="running",
                                       organisation=editor.membership.organisation,
                                       rows_total=200, rows_done=50)  # fmt: skip
    response = client.get(reverse("interop:batch_progress", args=[batch.pk]))
    assert 'value="25"' in response.content.decode() and "HX-Refresh" not in response
    ImportBatch.objects.filter(pk=batch.pk).update(status="imported")
    assert client.get(reverse("interop:batch_progress", args=[batch.pk]))["HX-Refresh"] == "true"


@pytest.mark.parametrize("kind", ["activities", "hazards", "incidents", "needs", "organisations"])
def test_templates_have_the_hxl_row_and_drop_down_lists(client, editor, kind):
    client.force_login(editor)
    response = client.get(reverse("interop:template", args=[kind]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet, lists = book.worksheets
    tags = [cell.value for cell in sheet[2]]
    assert all(tag.startswith("#") for tag in tags) and lists.sheet_state == "hidden"
    assert any(v.type == "list" for v in sheet.data_validations.dataValidation)


def test_a_filled_template_imports(client, editor, tmp_path):
    client.force_login(editor)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("interop:template", args=["activities"])).content)
    )
    sheet, lists = book.worksheets
    tags = [cell.value for cell in sheet[2]]
    row = {tag: "" for tag in tags}
    row.update(
        {
            "#meta+id": "T-1",
            "#org+impl": "Humanité Inclusion",
            "#sector": "PRO-MIN",
            "#activity+type": "EORE",
            "#activity+name": "EER Mopti",
            "#status": lists.cell(2, tags.index("#status") + 1).value,
            "#adm2+name": "Mopti",
            "#date+start": "2025-01-06",
            "#currency": "XOF",
        }
    )
    sheet.append([row[tag] for tag in tags])
    path = tmp_path / "filled.xlsx"
    book.save(path)
    from kafo.interop.activities import import_activities

    batch = import_activities(path, user=editor)
    assert (batch.status, batch.created) == ("imported", 1), batch.report()
    assert Activity.objects.get().status == "ongoing"


def test_the_review_queue_merges_a_flagged_organisation(client, coordinator, organisation):
    known = organisation("HI", name="Humanité & Inclusion")
    flagged = Organisation.objects.create(name="Humanite et Inclusion Mali", needs_review=True)
    activity = Activity.objects.create(organisation=flagged, title="x", sector="PRO-MIN")
    client.force_login(coordinator)
    page = client.get(reverse("interop:review")).content.decode()
    assert "Humanite et Inclusion Mali" in page
    client.post(reverse("interop:review_decide", args=[flagged.pk]), {"into": known.pk})
    activity.refresh_from_db()
    known.refresh_from_db()
    assert activity.organisation == known and "Humanite et Inclusion Mali" in known.alt_names
    assert not Organisation.objects.filter(pk=flagged.pk).exists()


def test_the_coordination_uploads_an_iati_file(client, coordinator, tmp_path):
    client.force_login(coordinator)
    xml = io.BytesIO(b'<iati-activities version="2.03"><iati-activity><iati-identifier>X-1'
                     b"</iati-identifier><reporting-org ref='X' type='10'><narrative>X"
                     b"</narrative></reporting-org><title><narrative>T</narrative></title>"
                     b"</iati-activity></iati-activities>")  # fmt: skip
    xml.name = "x.xml"
    response = client.post(reverse("interop:upload"), {"kind": "iati", "file": xml})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and (batch.kind, batch.status) == ("iati", "imported")
    assert Activity.objects.get().source_id == "X-1"
