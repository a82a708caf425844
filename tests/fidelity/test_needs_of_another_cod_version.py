"""A needs table written with the 2021 p-codes, imported under the real 2015 COD-AB: no
row lands on another cercle. The expected cercle of each row is read from the shapefile
with pyogrio (the same name, folded, in the same region), not through Kafo."""

import unicodedata

import pyogrio
import pytest
from django.core.management import call_command

from kafo.geo.importing import import_boundaries
from kafo.interop.needs import import_needs
from kafo.response.models import Need
from tests.conftest import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()


@pytest.fixture
def needs_2021(tmp_path):
    cod = shared_data("mali-cod-ab-2015")
    pcodes = shared_data("mali-pcodes-2021-adm1-2.csv")
    assert import_boundaries(cod, "2015").ok
    call_command("import_pcodes", str(pcodes), "--name", "2021")
    rows = [line.split(",") for line in pcodes.read_text(encoding="utf-8").splitlines()[1:]]
    cercles = [(code, name) for _c, level, code, name, *_rest in rows if level == "2"]
    path = tmp_path / "needs-2021.csv"
    path.write_text("#adm2+code,#adm2+name,#sector,#date+year,#inneed\n" + "".join(
        f"{code},{name},PRO-MIN,2025,{100 + i}\n" for i, (code, name) in enumerate(cercles)
    ), encoding="utf-8")  # fmt: skip
    regions_2021 = {code: _fold(name) for _c, level, code, name, *_r in rows if level == "1"}
    table = pyogrio.read_dataframe(cod / "mli_admbnda_adm2_gov_ocha_itos.shp",
                                   read_geometry=False)  # fmt: skip
    same = {}
    for code, name in cercles:
        match = table[(table["admin2Name"].map(_fold) == _fold(name))
                      & (table["admin1Name"].map(_fold) == regions_2021[code[:4]])]  # fmt: skip
        same[code] = match["admin2Pcod"].iloc[0] if len(match) == 1 else None
    return path, cercles, same


def test_without_its_version_no_row_lands_on_another_cercle(needs_2021):
    path, _cercles, _same = needs_2021
    batch = import_needs(path)
    assert batch.status == "rejected" and not Need.objects.exists()
    [hint] = batch.report()["notes"]
    assert "--cod-version 2021" in hint["reason"]
    refused = {e["value"].split(" / ")[0] for e in batch.report()["errors"]}
    assert "ML0101" in refused  # Bafoulabé in 2021, Kayes in 2015


def test_with_its_version_each_row_lands_on_the_same_cercle_or_is_refused(needs_2021):
    path, cercles, same = needs_2021
    batch = import_needs(path, cod_version="2021", accept_valid=True)
    placed = {n.in_need: n.admin_unit.pcode for n in Need.objects.select_related("admin_unit")}
    expected = {100 + i: same[code] for i, (code, _name) in enumerate(cercles) if same[code]}
    assert placed == expected
    assert batch.rejected == sum(1 for code, _n in cercles if same[code] is None)
    assert placed[100] == "ML0102"  # the file's ML0101 "Bafoulabe" is 2015's ML0102
