"""Focal points: consent enforced, names and contacts restricted, bad input refused."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from kafo.actors.models import Role
from kafo.communities.models import (
    Campaign,
    Consent,
    FocalPoint,
    KeyMessage,
    normalise_phone,
)  # fmt: skip
from kafo.communities.services import run_campaign
from kafo.geo.models import AdminUnit
from kafo.security.disclosure import WITHHELD, disclose, readable

TODAY = datetime.date.today()


@pytest.fixture
def place(demo_geography):
    return AdminUnit.objects.get(pcode="ML0501")


@pytest.fixture
def leaders(place, organisation):
    hi, drc = organisation("HI"), organisation("DRC")
    imam = FocalPoint.objects.create(name="Imam Diallo", role="imam", admin_unit=place,
                                     languages=["ff", "fr"], organisation=hi,
                                     channels=["phone", "sms"], phone="+22376000001")  # fmt: skip
    chief = FocalPoint.objects.create(name="Chef Traoré", role="village_chief", admin_unit=place,
                                      languages=["bm"], organisation=drc, channels=["phone"],
                                      phone="+22366000002", shared=True)  # fmt: skip
    host = FocalPoint.objects.create(name="Animatrice Touré", role="radio_host", admin_unit=place,
                                     languages=["ses"], organisation=hi, channels=["radio"],
                                     phone="+22370000003")  # fmt: skip
    Consent.objects.create(focal_point=imam, given_on=TODAY - datetime.timedelta(days=30),
                           scope=["contact", "sms"])  # fmt: skip
    # The chief agreed, then withdrew.
    Consent.objects.create(
        focal_point=chief, given_on=TODAY - datetime.timedelta(days=60),
        withdrawn_on=TODAY - datetime.timedelta(days=1), scope=["sms"],
    )  # fmt: skip
    return hi, drc, imam, chief, host


def test_phone_numbers_are_normalised_or_refused():
    assert normalise_phone("76 00 00 01") == "+22376000001"
    assert normalise_phone("00 226 70 11 22 33") == "+22670112233"
    with pytest.raises(ValidationError, match="12-34"):
        normalise_phone("12-34")


def test_bad_focal_points_are_refused(place, organisation):
    point = FocalPoint(name="X", role="imam", admin_unit=place, languages=["klingon"],
                       organisation=organisation("HI"), phone="abc")  # fmt: skip
    with pytest.raises(ValidationError) as error:
        point.full_clean()
    assert "klingon" in str(error.value)
    point.languages = []
    with pytest.raises(ValidationError):
        point.full_clean()


def test_a_partner_sees_only_its_focal_points_and_shared_ones(leaders, user_with_role):
    hi, drc, imam, chief, host = leaders
    hi_editor = user_with_role(Role.PARTNER_EDITOR, hi)
    seen = set(readable(hi_editor, FocalPoint.objects.all()))
    assert seen == {imam, chief, host}  # its own two, and the shared chief
    drc_viewer = user_with_role(Role.PARTNER_VIEWER, drc)
    assert set(readable(drc_viewer, FocalPoint.objects.all())) == {chief}
    donor = user_with_role(Role.DONOR_VIEWER)
    assert not readable(donor, FocalPoint.objects.all()).exists()
    # Names and phones are restricted personal data: not even shared rows show them.
    shown = disclose(hi_editor, chief)
    assert shown.name is WITHHELD and shown.phone is WITHHELD


def test_nobody_is_contacted_outside_consent(leaders, settings, tmp_path, user_with_role):
    hi, _drc, imam, chief, _host = leaders
    settings.KAFO_SMS_BACKEND = "file"
    settings.KAFO_SMS_FILE = str(tmp_path / "sms.jsonl")
    for language, text in (("ff", "Ne touchez pas aux objets suspects."),
                           ("bm", "Aw kana maga fɛn sigininnw na.")):  # fmt: skip
        KeyMessage.objects.create(
            key="ne-pas-toucher", language=language, title="Ne pas toucher", text=text,
            approved_at=datetime.datetime.now(datetime.UTC),
        )  # fmt: skip
    campaign = Campaign.objects.create(name="Saison des pluies", organisation=hi,
                                       message="ne-pas-toucher", channel="sms")  # fmt: skip
    campaign.admin_units.set([imam.admin_unit])
    counts = run_campaign(campaign)
    sent = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert sent == [{"to": "+22376000001", "text": "Ne touchez pas aux objets suspects."}]
    assert counts["sent"] == 1 and counts["skipped"] == 2  # chief withdrew; host: no consent
    details = {d.focal_point: d.detail for d in campaign.deliveries.all()}
    assert details[chief] == "pas de consentement"
    with pytest.raises(ValidationError, match="déjà"):
        run_campaign(campaign)


def test_the_rapidpro_backend_builds_a_webhook_call_without_sending():
    from kafo.communities.sms import RapidProBackend

    request = RapidProBackend(url="https://textit.example/c/ex/abc/receive", token="t0k").request(
        "+22376000001", "Bonjour")  # fmt: skip
    assert request.get_method() == "POST" and request.headers["Authorization"] == "Token t0k"
    assert json.loads(request.data) == {"urn": "tel:+22376000001", "text": "Bonjour"}
