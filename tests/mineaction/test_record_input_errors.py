"""Bad input gets an error naming the field and the reason; nothing is kept."""

from kafo.mineaction.forms import AccidentForm, VictimForm
from kafo.mineaction.models import FieldReport

VALID = {
    "date": "2024-05-01", "longitude": -4.2, "latitude": 14.5,
    "device_category": "improvised_mine", "accident_type": "civilian",
    "activity_at_time": "unknown", "area_marked": "unknown",
}  # fmt: skip


def test_required_fields_are_named(db):
    form = AccidentForm(data={})
    assert not form.is_valid()
    assert {"date", "longitude", "latitude", "device_category", "accident_type"} <= set(form.errors)


def test_a_point_outside_the_country_is_refused_with_a_hint(demo_geography):
    form = AccidentForm(data={**VALID, "longitude": 14.5, "latitude": -4.2})
    assert not form.is_valid()
    assert "hors des limites du pays" in form.errors["longitude"][0]
    assert "inversées" in form.errors["longitude"][0]


def test_a_point_outside_the_claimed_unit_is_a_warning(demo_geography):
    form = AccidentForm(data={**VALID, "claimed_pcode": "ML01"})  # Kayes; the point is in Mopti
    assert form.is_valid()
    assert "ML01" in form.warnings[0] and "ML05" in form.warnings[0]


def test_out_of_range_coordinates_are_refused(demo_geography):
    form = AccidentForm(data={**VALID, "longitude": 400})
    assert not form.is_valid() and "entre -180 et 180" in str(form.errors)


def test_a_victim_needs_a_validated_accident_and_a_real_phone_number(db):
    form = VictimForm(
        data={"accident": "ACC-999999", "outcome": "killed", "sex": "male", "phone": "call me",
              "status": "civilian", "disability_outcome": "none", "displacement": "idp",
              "risk_education_before": "yes"}
    )  # fmt: skip
    assert not form.is_valid()
    assert "validé" in form.errors["accident"][0]
    assert "8 à 15 chiffres" in form.errors["phone"][0]
    assert not FieldReport.objects.exists()
