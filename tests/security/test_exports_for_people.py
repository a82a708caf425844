"""A CSV for people has the headers they read, in their language, and labels for coded
values; the HXL file keeps the codes machines match on, with the same readable header
above its hashtag row."""

import csv
import io

from django.urls import reverse

from kafo.actors.models import Role
from kafo.response.models import Activity


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_the_5w_for_people_has_labels_and_the_hxl_has_codes(client, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    Activity.objects.create(organisation=editor.membership.organisation, title="EER Mopti",
                            sector="PRO-MIN", activity_type="EORE", status="planned")  # fmt: skip
    client.force_login(editor)
    people = _rows(client.get(reverse("response:activity_export")))
    header, row = people[0], people[1]
    assert header[:4] == ["ID", "Organisation de mise en œuvre (nom)",
                          "Organisation de mise en œuvre (sigle)", "Intitulé"]  # fmt: skip
    assert row[header.index("Statut")] == "Prévue"
    assert row[header.index("Type d’activité")] == "Éducation aux risques des engins explosifs"
    assert "planned" not in row and "EORE" not in row
    machines = _rows(client.get(reverse("response:activity_export"), {"format": "hxl"}))
    header, hashtags, row = machines[1], machines[2], machines[3]
    assert header[header.index("Statut")] and row[hashtags.index("#status")] == "planned"
    assert row[hashtags.index("#activity+type+code")] == "EORE"
