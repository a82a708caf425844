"""A rejected 5W (all or nothing) keeps its valid rows: once the bad rows are corrected on
the page, the whole file is imported, the page says so before the user acts, and rows the
user drops (a regional 3W's rows of another country) are left out."""

import io

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.interop.models import ImportBatch
from kafo.response.models import Activity

HEADER = "#org+impl,#sector,#activity+name,#meta+id,#adm2+code\n"


@pytest.fixture
def editor(user_with_role, organisation, demo_geography):
    return user_with_role(Role.PARTNER_EDITOR, organisation("HI", name="Humanité Inclusion"))


def _upload(client, rows):
    upload = io.BytesIO((HEADER + "\n".join(rows) + "\n").encode())
    upload.name = "5w.csv"
    client.post(reverse("interop:upload"), {"kind": "activities", "file": upload})
    return ImportBatch.objects.latest("pk")


def _sector_input(row) -> str:
    index = list(row.values).index(next(k for k in row.values if k.startswith("#sector")))
    return f"r{row.pk}c{index}"


def test_eight_rows_five_corrected_all_eight_imported(client, editor):
    client.force_login(editor)
    good = [f"Humanité Inclusion,PRO-MIN,EER {n},G-{n},ML0501" for n in range(3)]
    bad = [f"Humanité Inclusion,Jardinage,Potager {n},B-{n},ML0501" for n in range(5)]
    batch = _upload(client, good + bad)
    assert (batch.status, batch.rejected) == ("rejected", 5) and not Activity.objects.exists()
    page = client.get(reverse("interop:batch", args=[batch.pk])).content.decode()
    assert "Les 3 lignes valides du fichier sont gardées" in page
    assert page.count('name="drop"') == 5  # only the rows to correct are shown
    corrections = {_sector_input(row): "Protection" for row in batch.rejected_rows.all()
                   if row.errors}  # fmt: skip
    client.post(reverse("interop:resubmit", args=[batch.pk]), corrections)
    again = ImportBatch.objects.latest("pk")
    assert (again.status, again.created) == ("imported", 8), again.report()
    assert Activity.objects.filter(source_id__startswith="G-").count() == 3


def test_dropped_rows_are_left_out(client, editor):
    client.force_login(editor)
    batch = _upload(client, ["Humanité Inclusion,PRO-MIN,EER,G-1,ML0501",
                             "Humanité Inclusion,Jardinage,Potager,B-1,ML0501",
                             "Humanité Inclusion,Jardinage,Sénégal,B-2,SN01"])  # fmt: skip
    rows = {row.values[next(k for k in row.values if k.startswith("#meta+id"))]: row
            for row in batch.rejected_rows.all()}  # fmt: skip
    client.post(reverse("interop:resubmit", args=[batch.pk]),
                {_sector_input(rows["B-1"]): "Protection", "drop": [rows["B-2"].pk]})  # fmt: skip
    again = ImportBatch.objects.latest("pk")
    assert (again.status, again.created) == ("imported", 2), again.report()
    assert set(Activity.objects.values_list("source_id", flat=True)) == {"G-1", "B-1"}
