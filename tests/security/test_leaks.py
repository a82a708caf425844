"""Planted secrets never reach the public, donors, or another organisation.

A victim's name, ID number, phone and address, and an accident's exact coordinates
and place, are planted through the normal forms; then every page, export and map
layer of the URL configuration is fetched as each audience and searched for them.
"""

import json
import logging
import re

import pytest
from django.urls import reverse

from kafo.actors.models import Role
from kafo.security.models import AuditEvent
from tests.conftest import SecondFactorClient
from tests.security.test_permission_matrix import urls
from tests.urlconf import routes

NAME, PHONE, ID_NUMBER, ADDRESS = (
    "Aminata Plantée-Traoré", "+223 76 54 32 10", "ML-ID-99887766", "Rue 321 Sévaré-Planté",
)  # fmt: skip
PLACE = "Puits de Kéké-Planté"
# A community leader's data, and free text that names people (national IM and owner only).
LEADER, LEADER_PHONE, AFFILIATION = "Imam Bocar Planté-Cissé", "+223 66 11 22 33", "mosquée-plantée"
SAID, NOTED = "Boubou Planté a vu un obus", "vérifié chez Kadia-Plantée"
CONSENT_NOTE, ENGAGEMENT_NOTE, FEEDBACK = "accord Oumou-Plantée", "réunion chez Sidi-Planté", (
    "rappel Fanta-Plantée")  # fmt: skip
LON, LAT = -4.123457, 14.654321
# Coordinates in any form a page or file could print them: dot or comma, 4 to 6 decimals
# (about 10 m or finer; 3 decimals also match unrelated boundary vertices).
COORDINATE_FORMS = [
    f"{abs(value):.{digits}f}".replace(".", sep)
    for value in (LON, LAT) for digits in (4, 5, 6) for sep in (".", ",")
]  # fmt: skip
COMMUNITY = [LEADER, LEADER_PHONE, "66 11 22 33", AFFILIATION, SAID, NOTED, CONSENT_NOTE,
             ENGAGEMENT_NOTE, FEEDBACK]  # fmt: skip
SECRETS = [NAME, "Plantée", PHONE, "76 54 32 10", "76543210", ID_NUMBER, ADDRESS, PLACE,
           *COORDINATE_FORMS, *COMMUNITY]  # fmt: skip
VARIANTS = {
    "actors:export": ["", "?format=hxl"],
    "mineaction:export": ["", "?format=hxl"],
    "mineaction:layer": ["", "?download=1"],
    "mineaction:list": ["", "?pcode=ML05"],
}


@pytest.fixture
def planted(world, mine_action):
    their_editor = world["their_editor"]
    accident = mine_action.accident(
        their_editor, longitude=LON, latitude=LAT, place_description=PLACE,
        narrative=f"Véhicule de {NAME} sur la piste",
    )  # fmt: skip
    victim = mine_action.victim(
        their_editor, accident, name=NAME, phone=PHONE, id_number=ID_NUMBER, address=ADDRESS,
        outcome="killed",
    )  # fmt: skip
    records = {**world["records"]["other"], "accident": accident, "victim": victim}
    _plant_community(records)
    return {"records": records, "users": world["users"]}


def _plant_community(records) -> None:
    """The other organisation's leader, shared with every partner (so the row is seen
    and only its protected fields must stay hidden), and the notes about them."""
    import datetime

    from kafo.communities.models import Consent, Engagement

    leader = records["focal_point"]
    leader.name, leader.phone, leader.affiliation = LEADER, LEADER_PHONE, AFFILIATION
    leader.shared = True
    leader.save()
    alert = records["alert"]
    alert.description, alert.outcome_note = SAID, NOTED
    alert.save()
    delivery = records["delivery"]
    delivery.feedback = FEEDBACK
    delivery.save()
    Consent.objects.create(focal_point=leader, given_on=datetime.date(2024, 1, 1),
                           scope=["contact"], note=CONSENT_NOTE)  # fmt: skip
    Engagement.objects.create(focal_point=leader, kind="meeting",
                              date=datetime.date(2024, 2, 1), admin_unit=leader.admin_unit,
                              organisation=leader.organisation, notes=ENGAGEMENT_NOTE)  # fmt: skip


def _outputs(client, records):
    for _route, name in routes():
        if name in {"logout", "personal_data_anonymise", "mineaction:report_action"}:
            continue  # POST only
        for base in urls(name, records):
            for variant in VARIANTS.get(name, [""]):
                url = base + ("&" + variant[1:] if "?" in base and variant else variant)
                response = client.get(url)
                body = response.getvalue()
                yield url, response.status_code, body.decode("utf-8", "replace")


# Export stamps carry a time to the microsecond: "…T22:54:14.123512" holds "4.1235" by
# chance now and then. Times are not places; they are left out of the search.
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?")


def _leaks(role, planted):
    client = SecondFactorClient()
    if role:
        client.force_login(planted["users"][role])
    found = []
    for url, _status, text in _outputs(client, planted["records"]):
        text = TIMESTAMP.sub("<time>", text)
        found += [(url, secret) for secret in SECRETS if secret in text]
    return found


@pytest.mark.parametrize(
    "role", [None, Role.DONOR_VIEWER, Role.PARTNER_VIEWER, Role.PARTNER_EDITOR],
    ids=["public", "donor", "other-partner-viewer", "other-partner-editor"],
)  # fmt: skip
def test_no_output_carries_a_planted_secret(planted, role):
    assert _leaks(role, planted) == []


def test_the_national_coordination_does_see_them(planted):
    # The control: the secrets were planted and are shown to those cleared for them.
    found = {secret for _url, secret in _leaks(Role.COORDINATOR, planted)}
    assert {NAME, PHONE, ID_NUMBER, ADDRESS, PLACE, LEADER, FEEDBACK} <= found


def test_the_audit_log_and_the_logs_never_hold_them(planted, caplog, client):
    caplog.set_level(logging.DEBUG)
    client.force_login(planted["users"][Role.COORDINATOR])
    victim = planted["records"]["victim"]
    client.get(reverse("mineaction:record", args=["victim", victim.reference]))
    client.get(reverse("personal_data_export", args=["mineaction.victim", victim.pk]))
    client.post(
        reverse("personal_data_anonymise", args=["mineaction.victim", victim.pk]),
        {"reason": "asked"},
    )
    log = json.dumps(list(AuditEvent.objects.values()), default=str, ensure_ascii=False)
    log += caplog.text
    assert [secret for secret in SECRETS[:8] if secret in log] == []
