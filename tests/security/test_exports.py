"""Every exported file says who exported it and when, and the export is in the log."""

import csv
import io
import json

from kafo.actors.models import Role
from kafo.security.models import Action, AuditEvent


def _rows(response):
    text = response.getvalue().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_a_csv_export_is_stamped_and_logged(client, user_with_role, organisation):
    viewer = user_with_role(Role.PARTNER_VIEWER, organisation("HI"))
    client.force_login(viewer)
    response = client.get("/organisations/export/")
    rows = _rows(response)
    event = AuditEvent.objects.get(action=Action.EXPORT)
    # Excel's first row is the header; the stamp is the last line.
    assert rows[0][:3] == ["Nom", "Sigle", "Type"]
    assert rows[-1][0].startswith(
        f"Exporté de Kafo par {viewer.username} (Organisation HI (HI)) le"
    )
    assert rows[-1][0].endswith(f"référence d’audit {event.pk}")
    assert (event.object_type, event.changes) == ("organisations", {"rows": 1, "format": "csv"})
    assert 'filename="kafo-organisations-' in response["Content-Disposition"]


def test_an_hxl_export_has_its_hashtag_row_under_the_header(client, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    rows = _rows(client.get("/organisations/export/?format=hxl"))
    assert rows[2][:3] == ["#org+name", "#org+acronym", "#org+type"]
    assert AuditEvent.objects.get(action=Action.EXPORT).changes["format"] == "hxl"


def test_a_geojson_download_carries_the_stamp(client, mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    mine_action.accident(editor)
    client.force_login(editor)
    document = json.loads(client.get("/mineaction/layers/accident.geojson?download=1").getvalue())
    assert document["kafo_export"]["exported_by"] == editor.username
    assert len(document["features"]) == 1


def test_a_french_excel_csv_has_semicolons_and_decimal_commas(client, user_with_role):
    from decimal import Decimal

    from kafo.response.models import Activity

    editor = user_with_role(Role.PARTNER_EDITOR)
    Activity.objects.create(organisation=editor.membership.organisation, title="EER, Mopti",
                            sector="HEA", budget=Decimal("1234.50"), currency="XOF")  # fmt: skip
    client.force_login(editor)
    text = client.get("/response/activities/export/?excel=fr").getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, row = rows[0], rows[1]
    assert row[header.index("Budget")] == "1234,50" and "EER, Mopti" in row
    assert text.startswith(";".join(header[:2]))
