"""Sector names in common use in Mali's and West Africa's 3W/5W resolve to Kafo's codes."""

import pytest

from kafo.response.catalogue import resolve_sector


@pytest.mark.parametrize(
    ("name", "code"),
    [("Abris/NFI", "SHL"), ("Abris / AME", "SHL"), ("Protection de l'enfant", "PRO-CPN"),
     ("Protection de l’enfant", "PRO-CPN"), ("Water Sanitation & Hygiene", "WSH"),
     ("Food Security", "FSC"), ("Eau, Hygiène et Assainissement", "WSH"),
     ("Violences basées sur le genre", "PRO-GBV"), ("Lutte antimines", "PRO-MIN"),
     ("Sécurité alimentaire et moyens d’existence", "FSC"), ("Education", "EDU")],
)  # fmt: skip
def test_common_names_resolve(name, code):
    assert resolve_sector(name) == code
