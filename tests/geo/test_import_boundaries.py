import json
import zipfile

import numpy as np
import pyogrio
import pytest
import shapely

from kafo.geo.importing import import_boundaries
from kafo.geo.models import AdminUnit, CodVersion
from tests.conftest import rectangle, square, write_geojson

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_it_imports_a_folder_of_levels(tiny_cod):
    report = import_boundaries(tiny_cod, "2024")
    assert report.ok, report.errors
    assert report.as_dict() == {
        "version": "2024",
        "country": "MLI",
        "levels": {"0": 1, "1": 2, "2": 4},
        "activated": True,
        "records": {"moved_by_pcode": 0, "moved_by_point": 0, "to_review": 0},
        "errors": [],
    }
    version = CodVersion.objects.get()
    assert version.is_active and version.country == "MLI"
    cercle = AdminUnit.objects.get(pcode="ML0102")
    assert cercle.parent.pcode == "ML01"
    assert cercle.parent.parent.pcode == "ML"
    assert [u.pcode for u in cercle.ancestors()] == ["ML", "ML01"]
    region = AdminUnit.objects.get(pcode="ML01")
    assert region.name == "Ouest" and region.alt_names == ["West"]
    # A 2°×2° square at the equator is about 222 km × 221 km.
    assert region.area_km2 == pytest.approx(49_000, rel=0.01)
    assert region.bbox == (0, 0, 2, 2)
    assert json.loads(region.display_geojson)["type"] == "Polygon"
    assert shapely.equals(region.shape, shapely.box(0, 0, 2, 2))


def test_the_country_is_derived_when_no_level_0_file(tiny_cod):
    import_boundaries(tiny_cod, "2024")
    country = AdminUnit.objects.get(level=0)
    assert country.pcode == "ML" and country.name == "Mali"
    assert shapely.equals(country.shape, shapely.box(0, 0, 4, 2))


def test_a_single_commune_file_gives_every_level(tmp_path):
    features = [
        {"properties": {"admin1Pcod": "NE01", "admin1Name": "A", "admin2Pcod": f"NE010{i}",
                        "admin2Name": f"B{i}", "admin3Pcod": f"NE010{i}0{j}",
                        "admin3Name": f"C{i}{j}"},
         "geometry": square(i, j, 1)}
        for i in (1, 2) for j in (1, 2)
    ]  # fmt: skip
    path = write_geojson(tmp_path / "communes.geojson", features)
    report = import_boundaries(path, "v1")
    assert report.ok, report.errors
    assert report.country == "NER"
    assert report.levels == {0: 1, 1: 1, 2: 2, 3: 4}
    cercle = AdminUnit.objects.get(pcode="NE0101")
    assert shapely.equals(cercle.shape, shapely.box(1, 1, 2, 3))
    assert cercle.children.count() == 2


def test_it_reads_a_reprojected_geopackage(tmp_path):
    # Web Mercator coordinates of the 2°×2° square from (0, 0).
    geometry = shapely.box(0, 0, 222638.98, 222684.21)
    path = tmp_path / "adm1.gpkg"
    pyogrio.raw.write(
        path,
        geometry=np.array([shapely.to_wkb(geometry)], dtype=object),
        field_data=[np.array(["ML01"], dtype=object), np.array(["Ouest"], dtype=object)],
        fields=["ADM1_PCODE", "ADM1_FR"],
        geometry_type="Polygon",
        crs="EPSG:3857",
        driver="GPKG",
    )
    report = import_boundaries(path, "merc")
    assert report.ok, report.errors
    unit = AdminUnit.objects.get(pcode="ML01")
    assert unit.bbox == pytest.approx((0, 0, 2, 2), abs=1e-4)


def test_it_reads_a_zip_archive(tiny_cod, tmp_path):
    archive = tmp_path / "cod.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in tiny_cod.iterdir():
            zipped.write(path, f"mli/{path.name}")
    report = import_boundaries(archive, "zipped")
    assert report.ok, report.errors
    assert report.levels == {0: 1, 1: 2, 2: 4}


def test_a_new_version_becomes_active_and_the_old_one_stays(tiny_cod):
    import_boundaries(tiny_cod, "2015")
    import_boundaries(tiny_cod, "2021")
    assert list(CodVersion.objects.filter(is_active=True).values_list("name", flat=True)) == [
        "2021"
    ]
    assert AdminUnit.objects.filter(pcode="ML01").count() == 2


def test_no_activate_keeps_the_current_version(tiny_cod):
    import_boundaries(tiny_cod, "2015")
    report = import_boundaries(tiny_cod, "2021", activate=False)
    assert not report.activated
    assert CodVersion.objects.get(is_active=True).name == "2015"


def test_the_same_version_twice_is_refused(tiny_cod):
    import_boundaries(tiny_cod, "2015")
    report = import_boundaries(tiny_cod, "2015")
    assert not report.ok
    assert "already exists" in report.errors[0].reason
    assert AdminUnit.objects.count() == 7


def _reasons(report) -> list[tuple[str, int | None, str]]:
    return [(p.file.rsplit("/", 1)[-1], p.feature, p.reason) for p in report.errors]


def test_every_broken_rule_is_reported_with_file_and_feature_and_nothing_is_written(tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    write_geojson(
        tmp_path / "adm1.geojson",
        [
            {"properties": {"ADM1_PCODE": "ML01", "ADM1_FR": "Un"}, "geometry": square(0, 0, 1)},
            {"properties": {"ADM1_PCODE": "ML01", "ADM1_FR": "Bis"}, "geometry": square(1, 0, 1)},
            {"properties": {"ADM1_PCODE": "ML03", "ADM1_FR": "Papillon"}, "geometry": bowtie},
            {"properties": {"ADM1_PCODE": "ML04", "ADM1_FR": "Vide"}, "geometry": None},
            {"properties": {"ADM1_PCODE": "ML05", "ADM1_FR": "Point"},
             "geometry": {"type": "Point", "coordinates": [1, 1]}},
        ],
    )  # fmt: skip
    write_geojson(
        tmp_path / "adm2.geojson",
        [
            {"properties": {"ADM1_PCODE": "ML01", "ADM2_PCODE": "ML0201", "ADM2_FR": "Mal rangé"},
             "geometry": square(0, 0, 1)},
            {"properties": {"ADM1_PCODE": "ML09", "ADM2_PCODE": "ML0901", "ADM2_FR": "Orphelin"},
             "geometry": square(0, 0, 1)},
            {"properties": {"ADM1_PCODE": "ML01", "ADM2_PCODE": "ML0102", "ADM2_FR": ""},
             "geometry": square(0, 0, 1)},
        ],
    )  # fmt: skip
    report = import_boundaries(tmp_path, "broken", country="MLI")
    reasons = _reasons(report)
    assert ("adm1.geojson", 2, "p-code ML01 is already used by feature 1 of level 1") in reasons
    assert any(
        r[:2] == ("adm1.geojson", 3) and r[2].startswith("invalid geometry: Self-intersection")
        for r in reasons
    )
    assert ("adm1.geojson", 4, "no geometry") in reasons
    assert any(r[:2] == ("adm1.geojson", 5) and "expected a polygon" in r[2] for r in reasons)
    assert (
        "adm2.geojson",
        1,
        "p-code ML0201 does not extend its parent's code ML01",
    ) in reasons
    assert ("adm2.geojson", 2, "parent p-code ML09 is not among the units of level 1") in reasons
    assert ("adm2.geojson", 3, "empty name for ML0102") in reasons
    assert CodVersion.objects.count() == 0 and AdminUnit.objects.count() == 0


def test_a_wrong_country_prefix_is_reported(tiny_cod):
    report = import_boundaries(tiny_cod, "x", country="BFA")
    assert ("adm1.geojson", 1, "p-code ML01 does not start with the country prefix BF") in _reasons(
        report
    )
    assert AdminUnit.objects.count() == 0


def test_files_without_pcode_columns_are_reported(tmp_path):
    write_geojson(
        tmp_path / "x.geojson", [{"properties": {"NAME": "A"}, "geometry": square(0, 0, 1)}]
    )
    report = import_boundaries(tmp_path / "x.geojson")
    assert len(report.errors) == 1
    assert report.errors[0].reason.startswith("no p-code column found")
    assert "columns: NAME" in report.errors[0].reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not json at all {", "cannot read"),
        (b"PK\x03\x04 broken", "not a readable zip archive"),
    ],
)
def test_unreadable_files_are_reported(tmp_path, content, reason):
    path = tmp_path / ("bad.zip" if content.startswith(b"PK") else "bad.geojson")
    path.write_bytes(content)
    report = import_boundaries(path)
    assert report.errors and report.errors[0].reason.startswith(reason)


def test_an_empty_folder_is_reported(tmp_path):
    report = import_boundaries(tmp_path)
    assert report.errors[0].reason == "no shapefile, GeoPackage or GeoJSON found here"


def test_projected_coordinates_without_crs_are_reported(tmp_path):
    path = write_geojson(
        tmp_path / "adm1.geojson",
        [
            {
                "properties": {"ADM1_PCODE": "ML01", "ADM1_FR": "A"},
                "geometry": rectangle(0, 0, 500000, 1500000),
            }
        ],
    )
    report = import_boundaries(path, country="ML")
    assert any("outside longitude/latitude range" in p.reason for p in report.errors)


def test_reasons_are_in_french_by_default(tmp_path):
    from django.utils import translation

    with translation.override("fr"):
        report = import_boundaries(tmp_path)
    assert report.errors[0].reason == "aucun shapefile, GeoPackage ni GeoJSON ici"


def test_one_stray_prefix_is_reported_on_its_feature_not_for_the_whole_file(tiny_cod):
    path = tiny_cod / "adm1.geojson"
    path.write_text(path.read_text().replace('"ML02"', '"BF02"'))
    report = import_boundaries(tiny_cod, "x")
    assert report.country == "MLI"
    assert ("adm1.geojson", 2, "p-code BF02 does not start with the country prefix ML") in _reasons(
        report
    )
    assert AdminUnit.objects.count() == 0


def test_parts_that_disagree_about_their_derived_unit_are_reported(tmp_path):
    # Three communes of one cercle; the third spells the cercle's name differently.
    communes = [
        {"properties": {"admin1Pcod": "NE01", "admin1Name": "A", "admin2Pcod": "NE0101",
                        "admin2Name": name, "admin3Pcod": f"NE01010{i}", "admin3Name": f"C{i}"},
         "geometry": square(i, 0, 1)}
        for i, name in enumerate(["Tahoua", "Tahoua", "Tawa"])
    ]  # fmt: skip
    report = import_boundaries(write_geojson(tmp_path / "adm3.geojson", communes), "v1")
    assert (
        "adm3.geojson",
        3,
        "level 2 unit NE0101 has another name or parent here than in feature 1",
    ) in _reasons(report)
    assert AdminUnit.objects.count() == 0


def test_a_problem_reads_as_one_line_in_french():
    from django.utils import translation

    from kafo.geo.boundaries import Problem

    with translation.override("fr"):
        assert str(Problem("a.shp", 3, "pas de géométrie")) == "a.shp, entité 3 : pas de géométrie"


def test_a_pcode_equal_to_its_parents_is_refused_not_crashed(tmp_path, db):
    # Found by hypothesis: a region coded "ML", like the derived country, broke the insert.
    path = write_geojson(
        tmp_path / "adm1.geojson",
        [{"properties": {"ADM1_PCODE": "ML", "ADM1_FR": "Mali?"}, "geometry": square(0, 0, 1)}],
    )
    report = import_boundaries(path, "x")
    assert ("adm1.geojson", 1, "p-code ML does not extend its parent's code ML") in _reasons(report)
    assert CodVersion.objects.count() == 0
