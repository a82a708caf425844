import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def body(db, organisation):
    from kafo.meetings.models import CoordinationBody

    lead = organisation("CNLPAL", kind="national_authority", name="Commission nationale")
    made = CoordinationBody.objects.create(
        name="Groupe de travail éducation aux risques",
        acronym="GT-EORE",
        kind="working_group",
        lead=lead,
    )
    made.co_leads.add(organisation("HI", name="Humanité & Inclusion"))
    return made


@pytest.fixture
def meeting(body):
    from kafo.meetings.models import Meeting

    start = timezone.make_aware(datetime.datetime(2025, 3, 4, 10, 0))
    return Meeting.objects.create(body=body, title="Réunion mensuelle", starts_at=start,
                                  ends_at=start + datetime.timedelta(hours=2), place="Bamako",
                                  agenda="1. Tour de table\n2. Plan de mars")  # fmt: skip
