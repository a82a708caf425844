"""A form posted from another page and refused comes back on that page with everything
typed and each error by its field (not only a banner, and nothing wiped)."""

from django.urls import reverse

from kafo.actors.models import Role


def test_a_refused_key_message_comes_back_as_typed(client, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    typed = {"key": "ne pas toucher!", "language": "fr", "title": "Ne touchez pas",
             "text": "Signalez tout objet suspect au chef de village."}  # fmt: skip
    response = client.post(reverse("communities:message_add"), typed, follow=True)
    page = response.content.decode()
    assert 'value="Ne touchez pas"' in page
    assert "Signalez tout objet suspect au chef de village." in page
    error = page.split('id="id_key_error"', 1)[1].split("</ul>", 1)[0]
    assert "ne-pas-toucher" in error  # the example of a valid key, by the field
    # Only once: the next visit shows a new form.
    again = client.get(reverse("communities:library")).content.decode()
    assert 'value="Ne touchez pas"' not in again


def test_refused_priority_weights_come_back_as_typed(client, coordinator, demo_geography):
    from kafo.coordination.forms import CRITERIA

    client.force_login(coordinator)
    typed = {name: "0.3" for name in CRITERIA} | {"casualties": "0.45", "radius_km": "250"}
    page = client.post(reverse("priority_weights"), typed, follow=True).content.decode()
    assert 'value="0.45"' in page and 'value="250"' in page
    error = page.split('id="id_radius_km_error"', 1)[1].split("</ul>", 1)[0]
    assert "100" in error
