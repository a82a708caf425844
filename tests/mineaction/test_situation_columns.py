"""The situation page names its rows for what they are: regions for the country, the
units of a region when one is chosen (not "Région" over a list of cercles)."""

from django.urls import reverse


def test_the_column_names_the_units_it_lists(client, demo_geography):
    country = client.get(reverse("situation")).content.decode()
    assert "<th>Région</th>" in country
    mopti = client.get(reverse("situation"), {"pcode": "ML05"}).content.decode()
    assert "<th>Unités administratives de Mopti</th>" in mopti and "<th>Région</th>" not in mopti
