"""Kafo's XLSForms convert with pyxform, and the XForm it makes (read here with lxml)
asks what Kafo's own forms ask: every field, in French and English, with Kafo's codes,
its requirements and bounds, the admin units as a cascade, the hazards from a file."""

import pytest
from lxml import etree

from kafo.geo.models import AdminUnit
from kafo.intake import xlsforms
from kafo.intake.xlsforms import FORM_KINDS, LEFT_OUT, build, web_form

pytestmark = pytest.mark.django_db
NS = {"h": "http://www.w3.org/1999/xhtml", "x": "http://www.w3.org/2002/xforms",
      "jr": "http://openrosa.org/javarosa", "odk": "http://www.opendatakit.org/xforms"}  # fmt: skip


@pytest.fixture
def communes(demo_geography):
    """One commune under Mopti's first cercle: three levels to cascade."""
    cercle = AdminUnit.objects.active().get(pcode="ML0501")
    AdminUnit.objects.create(cod_version=cercle.cod_version, level=3, pcode="ML050101",
                             name="Commune de Mopti", parent=cercle)  # fmt: skip
    return cercle


def _xform(kind: str) -> etree._Element:
    return etree.fromstring(build(kind).xform().encode())


def _binds(xform) -> dict[str, dict]:
    return {b.get("nodeset").rsplit("/", 1)[-1]: dict(b.attrib)
            for b in xform.iterfind(".//x:bind", NS)}  # fmt: skip


@pytest.mark.parametrize("kind", list(FORM_KINDS))
def test_each_form_converts_in_french_and_english(communes, kind):
    xform = _xform(kind)
    languages = {t.get("lang") for t in xform.iterfind(".//x:itext/x:translation", NS)}
    assert languages == {"Français (fr)", "English (en)"}
    default = xform.find(".//x:itext/x:translation[@default='true()']", NS)
    assert default.get("lang") == "Français (fr)"
    binds = _binds(xform)
    assert binds["date_of_information"]["required"] == "true()"
    assert binds["date_of_information"]["constraint"] == ". <= today()"


@pytest.mark.parametrize("kind", list(FORM_KINDS))
def test_every_field_of_kafos_form_is_asked(communes, kind):
    form = web_form(kind)
    binds = _binds(_xform(kind))
    asked = set(form.fields) - LEFT_OUT
    assert asked <= set(binds), asked - set(binds)
    for name in asked:  # required on the phone exactly when required on the web
        assert (binds[name].get("required") == "true()") == form.fields[name].required, name


def test_choices_are_kafos_codes_with_both_labels(communes):
    made = build("accident")
    device = [c for c in made.choices if c["list_name"] == "device_category"]
    assert [c["name"] for c in device][:2] == ["improvised_mine", "ap_mine"]
    assert device[1]["label::Français (fr)"] == "Mine antipersonnel"
    assert device[1]["label::English (en)"] == "Anti-personnel mine"


def test_areas_and_counts_cannot_be_negative_and_dates_not_in_the_future(communes):
    binds = _binds(_xform("activity"))
    for name in ("area_cancelled_m2", "area_reduced_m2", "area_cleared_m2"):
        assert binds[name]["constraint"] == ". >= 0", name
    assert binds["start_date"]["constraint"] == ". <= today()"
    eore = _binds(_xform("eore"))
    assert eore["girls_5_12"]["constraint"] == ". >= 0"


def test_the_admin_units_cascade_from_the_active_boundaries(communes):
    xform = _xform("eore")
    itemsets = {i.getparent().get("ref").rsplit("/", 1)[-1]: i.get("nodeset")
                for i in xform.iterfind(".//x:itemset", NS)}  # fmt: skip
    assert "region" in itemsets["cercle"] and "cercle" in itemsets["commune"]
    made = build("eore")
    regions = [c["name"] for c in made.choices if c["list_name"] == "region"]
    assert regions == list(AdminUnit.objects.active().filter(level=1)
                           .order_by("pcode").values_list("pcode", flat=True))  # fmt: skip
    (commune,) = [c for c in made.choices if c["list_name"] == "commune"]
    assert (commune["region"], commune["cercle"]) == ("ML05", "ML0501")
    assert _binds(xform)["region"]["required"] == "true()"  # a session names its place
    assert "pcode" in _binds(xform)


def test_a_hazard_is_a_polygon_or_a_point(communes):
    binds = _binds(_xform("hazard"))
    assert binds["area"]["type"] == "geoshape"
    assert binds["location"]["type"] == "geopoint"
    assert binds["location"]["required"].replace(" ", "") == "/data/where/area=''"


def test_an_activity_chooses_its_hazard_from_the_file(communes):
    xform = _xform("activity")
    assert xform.find(".//x:instance[@src='jr://file-csv/hazards.csv']", NS) is not None
    assert "regex" not in _binds(xform)["hazard"].get("constraint", "")
    # The answer is the reference column (or Entity List property), not the row's name:
    # on ODK Central an entity's name is its uuid.
    itemset = xform.find(".//x:select1[@ref='/data/hazard']/x:itemset", NS)
    assert itemset.find("x:value", NS).get("ref") == "reference"


def test_an_alert_says_when_it_was_reported(communes):
    binds = _binds(_xform("alert"))
    assert binds["reported_at"]["type"] == "dateTime"
    assert binds["reported_at"]["constraint"] == ". <= now()"
    assert binds["kind"]["required"] == "true()" and binds["region"]["required"] == "true()"
    # It names the focal point who gave it, by its number in Kafo.
    assert binds["focal_point"]["type"] == "int" and binds["focal_point"]["required"] == "true()"


def test_references_are_checked_and_personal_identifiers_left_out(communes):
    binds = _binds(_xform("victim"))
    assert binds["accident"]["constraint"] == "regex(., '^ACC-[0-9]{6}$')"
    assert not {"name", "id_number", "phone", "address"} & set(binds)


def test_the_version_follows_the_content(communes):
    first, again = build("eore"), build("eore")
    assert first.version == again.version and first.settings["version"] == first.version
    AdminUnit.objects.filter(pcode="ML050101").update(name="Mopti commune")
    assert build("eore").version != first.version


def test_a_form_pyxform_refuses_is_an_error(communes, monkeypatch):
    original = xlsforms._header

    def twice(choices):
        rows = original(choices)
        return rows + rows[-1:]  # the same name twice

    monkeypatch.setattr(xlsforms, "_header", twice)
    with pytest.raises(xlsforms.XLSFormError, match="kafo_hazard"):
        build("hazard")
