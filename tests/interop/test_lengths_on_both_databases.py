"""Lengths are checked by Kafo, the same on SQLite (which stores any length) as on
PostgreSQL: an over-long identifier or p-code refuses its row or its file with the
reason; nothing is cut, nothing is written."""

import json

from kafo.geo.importing import import_boundaries
from kafo.geo.models import AdminUnit, CodVersion
from kafo.interop.activities import import_activities
from kafo.interop.records import import_hazards
from kafo.mineaction.models import FieldReport
from kafo.response.models import Activity

LONG_ID = "X" * 9_999


def test_an_over_long_5w_identifier_refuses_its_row(tmp_path, demo_geography):
    path = tmp_path / "5w.csv"
    path.write_text("#org+impl,#sector,#activity+name,#meta+id,#adm2+code\n"
                    f"HI,HEA,Cliniques,{LONG_ID},ML0501\nHI,HEA,Cliniques,A-1,ML0501\n",
                    encoding="utf-8")  # fmt: skip
    batch = import_activities(path)
    assert (batch.status, batch.rejected) == ("rejected", 1)
    assert any("200" in e["reason"] for e in batch.report()["errors"])
    assert not Activity.objects.exists()


def test_an_over_long_hazard_identifier_refuses_its_row(tmp_path, demo_geography, coordinator):
    path = tmp_path / "hazards.csv"
    path.write_text("#meta+id,#org,#geo+lon,#geo+lat,#x_area+estimated,#date+reported\n"
                    f"{LONG_ID},{coordinator.membership.organisation.name},-4.2,14.5,5000,"
                    "2025-02-01\n", encoding="utf-8")  # fmt: skip
    batch = import_hazards(path, user=coordinator)
    assert batch.status == "rejected"
    assert any("251" in e["reason"] for e in batch.report()["errors"])
    assert not FieldReport.objects.exists()


def test_an_over_long_pcode_or_name_refuses_the_boundaries(db, tiny_cod):
    path = tiny_cod / "adm2.geojson"
    collection = json.loads(path.read_text())
    collection["features"][0]["properties"]["ADM2_PCODE"] = "ML01" + "9" * 5_000
    collection["features"][1]["properties"]["ADM2_FR"] = "Cercle " * 100
    path.write_text(json.dumps(collection))
    report = import_boundaries(tiny_cod, "long")
    reasons = " ".join(problem.reason for problem in report.errors)
    assert "32" in reasons and "200" in reasons
    assert not CodVersion.objects.exists() and not AdminUnit.objects.exists()
