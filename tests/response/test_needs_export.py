"""The needs export: CSV for people (a sector's label), HXL for machines (its code), each
row once, streamed; read back by the csv module and libhxl."""

import csv
import io

import hxl
import pytest
from django.urls import reverse
from hxl.input import InputOptions

from kafo.actors.models import Role
from kafo.geo.models import AdminUnit
from kafo.response.catalogue import Sector
from kafo.response.models import Need


@pytest.fixture
def reader(client, demo_geography, user_with_role):
    mopti, segou = AdminUnit.objects.get(pcode="ML0501"), AdminUnit.objects.get(pcode="ML0401")
    Need.objects.create(admin_unit=mopti, sector="EDU", year=2025, in_need=1200)
    Need.objects.create(admin_unit=segou, sector="PRO-MIN", year=2025, in_need=300)
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    return client


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_csv_gives_the_sectors_labels(reader):
    response = reader.get(reverse("response:need_export"))
    rows = list(csv.reader(io.StringIO(_body(response))))
    sector = rows[0].index("Secteur")
    labels = sorted(row[sector] for row in rows[1:-1])  # the last line is the stamp
    assert labels == sorted([str(Sector("EDU").label), str(Sector("PRO-MIN").label)])
    assert rows[-1][0].startswith("Exporté de Kafo")


def test_the_hxl_keeps_the_codes(reader, tmp_path):
    response = reader.get(reverse("response:need_export"), {"format": "hxl"})
    path = tmp_path / "needs.hxl.csv"
    path.write_bytes(response.getvalue())
    data = hxl.data(str(path), InputOptions(allow_local=True))
    found = sorted((row.get("#adm2+code"), row.get("#sector")) for row in data)
    assert found == [("ML0401", "PRO-MIN"), ("ML0501", "EDU")]
