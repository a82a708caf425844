"""Mine action records, needs, transactions and organisations through the API."""

import datetime
from decimal import Decimal

from kafo.actors.models import Role
from kafo.currencies.models import ExchangeRate
from kafo.mineaction.models import FieldReport


def test_records_are_for_partners_and_personal_data_stays_withheld(
    api, mine_action, user_with_role, organisation
):
    owner = user_with_role(Role.PARTNER_EDITOR)
    accident = mine_action.accident(owner)
    victim = mine_action.victim(owner, accident, name="Aminata Secret")
    other_viewer = user_with_role(Role.PARTNER_VIEWER)
    assert (
        api(user_with_role(Role.DONOR_VIEWER)).get("/api/v1/mineaction/victim/").status_code == 403
    )
    rows = api(other_viewer).get("/api/v1/mineaction/victim/").json()["results"]
    assert rows[0]["reference"] == victim.reference and rows[0]["name"] is None
    assert "Aminata" not in api(other_viewer).get(
        f"/api/v1/mineaction/victim/{victim.reference}/").content.decode()  # fmt: skip
    assert api(owner).get("/api/v1/mineaction/accident/?pcode=ML05").json()["count"] == 1
    assert api(owner).get("/api/v1/mineaction/accident/?pcode=ML01").json()["count"] == 0


def test_posting_a_record_submits_a_field_report(api, mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    body = {"date": "2024-05-01", "longitude": -4.2, "latitude": 14.5,
            "device_category": "improvised_mine", "accident_type": "civilian",
            "date_of_information": "2024-05-02"}  # fmt: skip
    response = api(editor).post("/api/v1/mineaction/accident/", body, format="json")
    assert response.status_code == 202, response.json()
    report = FieldReport.objects.get(reference=response.json()["reference"])
    assert report.status == "submitted" and report.source == "api"
    bad = api(editor).post("/api/v1/mineaction/accident/", {**body, "longitude": 40},
                           format="json")  # fmt: skip
    assert bad.status_code == 400 and "longitude" in bad.json()
    viewer = user_with_role(Role.PARTNER_VIEWER)
    assert api(viewer).post("/api/v1/mineaction/accident/", body, format="json").status_code == 403


def test_transactions_follow_the_flow_rule(api, organisation, user_with_role, db):
    hi, echo, drc = organisation("HI"), organisation("ECHO", "donor"), organisation("DRC")
    ExchangeRate.objects.create(currency="EUR", date=datetime.date(2024, 1, 1),
                                to_usd=Decimal("1.1"), source="t")  # fmt: skip
    editor = user_with_role(Role.PARTNER_EDITOR, hi)
    flow = {"type": "3", "provider": echo.pk, "receiver": hi.pk, "date": "2024-03-01",
            "amount": "1000.00", "currency": "EUR", "source_document": "Accord"}  # fmt: skip
    response = api(editor).post("/api/v1/transactions/", flow, format="json")
    assert response.status_code == 201, response.json()
    assert Decimal(response.json()["rate_to_usd"]) == Decimal("1.1")
    other = {**flow, "receiver": drc.pk}
    assert api(editor).post("/api/v1/transactions/", other, format="json").status_code == 403


def test_organisations_are_added_by_the_coordination(api, coordinator, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    body = {"name": "Association Sahel Paix", "acronym": "ASP", "type": "national_ngo"}
    assert api(editor).post("/api/v1/organisations/", body, format="json").status_code == 403
    assert api(coordinator).post("/api/v1/organisations/", body, format="json").status_code == 201
    again = api(coordinator).post("/api/v1/organisations/", body, format="json")
    assert again.status_code == 400  # the directory refuses a second record of it


def test_the_schema_is_served(api):
    response = api().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200 and b"/api/v1/activities/" in response.content


def test_a_flow_is_changed_only_by_its_parties(api, organisation, user_with_role, db):
    hi, echo, drc = organisation("HI"), organisation("ECHO", "donor"), organisation("DRC")
    ExchangeRate.objects.create(currency="EUR", date=datetime.date(2024, 1, 1),
                                to_usd=Decimal("1.1"), source="t")  # fmt: skip
    ours, theirs = user_with_role(Role.PARTNER_EDITOR, hi), user_with_role(Role.PARTNER_EDITOR, drc)
    flow = {"type": "3", "provider": echo.pk, "receiver": hi.pk, "date": "2024-03-01",
            "amount": "1000.00", "currency": "EUR", "source_document": "Accord"}  # fmt: skip
    pk = api(ours).post("/api/v1/transactions/", flow, format="json").json()["id"]
    url = f"/api/v1/transactions/{pk}/"
    assert api(theirs).patch(url, {"amount": "1.00"}, format="json").status_code == 403
    response = api(ours).patch(url, {"amount": "1500.00"}, format="json")
    assert response.status_code == 200 and response.json()["amount"] == "1500.00"


def test_needs_give_their_p_code(api, demo_geography, user_with_role):
    from kafo.geo.models import AdminUnit
    from kafo.response.models import Need

    Need.objects.create(admin_unit=AdminUnit.objects.active().get(pcode="ML0501"),
                        sector="PRO-MIN", year=2025, in_need=12000)  # fmt: skip
    rows = api(user_with_role(Role.DONOR_VIEWER)).get("/api/v1/needs/").json()["results"]
    assert [row["pcode"] for row in rows] == ["ML0501"]
