"""The accreditation register: every member reads it, with each accreditation's state
today; the national authority (the coordination) records and changes them; the
organisations hear 60 days before one expires, once; the sharing board shows it."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kafo.actors.models import Accreditation, Role
from kafo.actors.tasks import notify_accreditation_expiries
from kafo.geo.models import AdminUnit
from kafo.response.models import Resource

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def register(organisation, coordinator):
    mag, amss = organisation("MAG"), organisation("AMSS", kind="national_ngo")
    issuer = coordinator.membership.organisation
    return {
        "valid": Accreditation.objects.create(organisation=mag, activity="CLR", issuer=issuer,
                                              issued=_days(-300), expires=_days(400)),
        "soon": Accreditation.objects.create(organisation=amss, activity="EORE", issuer=issuer,
                                             issued=_days(-300), expires=_days(30)),
        "expired": Accreditation.objects.create(organisation=amss, activity="NTS",
                                                issued=_days(-700), expires=_days(-5)),
        "suspended": Accreditation.objects.create(organisation=mag, activity="EOD",
                                                  issued=_days(-10), status="suspended"),
    }  # fmt: skip


def test_it_checks_access(plain_client):
    response = plain_client.get(reverse("actors:accreditations"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_members_read_the_register_with_each_state(client, register, user_with_role, english):
    client.force_login(user_with_role(Role.DONOR_VIEWER))
    page = client.get(reverse("actors:accreditations"), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    for code in ("valid", "expiring", "expired", "suspended"):
        assert f"state-{code}" in text, code
    valid_only = client.get(reverse("actors:accreditations"), {"valid": "1"}).content.decode()
    assert "state-valid" in valid_only and "state-expired" not in valid_only
    assert "state-expiring" in valid_only  # still valid today
    assert reverse("actors:accreditation_new") not in text  # only the coordination adds


def test_the_coordination_records_one_and_a_wrong_date_is_refused(client, coordinator,
                                                                  organisation):  # fmt: skip
    client.force_login(coordinator)
    hi = organisation("HI")
    data = {"organisation": hi.pk, "activity": "EORE", "standard": "imas_07_30",
            "issued": "2026-01-10", "expires": "2025-01-10", "status": "active"}  # fmt: skip
    response = client.post(reverse("actors:accreditation_new"), data)
    assert response.status_code == 200 and not Accreditation.objects.exists()
    data["expires"] = "2028-01-10"
    assert client.post(reverse("actors:accreditation_new"), data).status_code == 302
    made = Accreditation.objects.get()
    assert (made.organisation, made.activity, made.expires) == (
        hi,
        "EORE",
        datetime.date(2028, 1, 10),
    )


def test_organisations_hear_sixty_days_before_once(register, user_with_role, coordinator):
    amss = register["soon"].organisation
    editor = user_with_role(Role.PARTNER_EDITOR, amss, username="amss.editeur")
    editor.email = "editeur@amss.example"
    editor.save()
    coordinator.email = "coordination@cnlpal.example"
    coordinator.save()
    viewer = user_with_role(Role.PARTNER_VIEWER, amss, username="amss.lecteur")
    viewer.email = "lecteur@amss.example"
    viewer.save()
    assert notify_accreditation_expiries.call() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["coordination@cnlpal.example",
                                                    "editeur@amss.example"]  # fmt: skip
    assert all(register["soon"].expires.isoformat() in m.subject for m in mail.outbox)
    assert notify_accreditation_expiries.call() == 0 and len(mail.outbox) == 2


def test_the_sharing_board_reads_the_register(client, register, user_with_role, demo_geography):
    mag = register["valid"].organisation
    base = AdminUnit.objects.get(pcode="ML0501")
    clearance = Resource.objects.create(organisation=mag, kind="clearance_team", name="CLR 1",
                                        base=base, offered=True)  # fmt: skip
    eod = Resource.objects.create(
        organisation=mag, kind="eod_team", name="EOD 1", base=base, offered=True
    )  # its accreditation is suspended
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    page = client.get(reverse("response:sharing_board")).content.decode()

    def row(resource) -> str:
        start = page.index(resource.get_absolute_url())
        return page[start : page.index("</tr>", start)]

    assert register["valid"].expires.strftime("%d/%m/%Y") in row(clearance)
    assert "non accrédité" in row(eod)
