"""A shared focal point's page lists another organisation's consents and engagements (and
their notes) only to who may read them: every related list goes through the disclosure
layer."""

import datetime

from django.urls import reverse

from kafo.actors.models import Role
from kafo.communities.models import Consent, Engagement, FocalPoint
from kafo.geo.models import AdminUnit


def test_another_partner_does_not_see_the_owner_s_consents_and_engagements(
    client, demo_geography, user_with_role, organisation
):
    hi = organisation("HI")
    editor = user_with_role(Role.PARTNER_EDITOR, hi)
    unit = AdminUnit.objects.get(pcode="ML0501")
    point = FocalPoint.objects.create(name="Imam Traoré", role="imam", admin_unit=unit,
                                      organisation=hi, languages=["fr"], channels=["phone"],
                                      shared=True)  # fmt: skip
    Consent.objects.create(focal_point=point, recorded_by=editor, given_on=datetime.date.today(),
                           scope=["ACCORD-PORTEE-PRIVEE"])  # fmt: skip
    Engagement.objects.create(focal_point=point, organisation=hi, kind="eore_relay",
                              date=datetime.date.today(), admin_unit=unit,
                              notes="ENGAGEMENT-NOTE-PRIVEE")  # fmt: skip
    client.force_login(editor)
    own = client.get(reverse("communities:focal_point", args=[point.pk])).content.decode()
    assert "ACCORD-PORTEE-PRIVEE" in own and "ENGAGEMENT-NOTE-PRIVEE" in own
    client.force_login(user_with_role(Role.PARTNER_VIEWER, organisation("DRC")))
    page = client.get(reverse("communities:focal_point", args=[point.pk]))
    assert page.status_code == 200  # shared: the focal point itself is visible
    text = page.content.decode()
    assert "ACCORD-PORTEE-PRIVEE" not in text and "ENGAGEMENT-NOTE-PRIVEE" not in text
