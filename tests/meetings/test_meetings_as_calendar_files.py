"""A meeting, and a body's meetings, as iCalendar files a calendar reads: read back
here line by line (RFC 5545's unfolded lines), not by the library that wrote them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _lines(content: bytes) -> list[str]:
    # Unfold (RFC 5545 § 3.1): a line starting with a space continues the one before.
    return content.decode().replace("\r\n ", "").split("\r\n")


def test_a_meeting_as_an_ics_file(client, coordinator, meeting):
    client.force_login(coordinator)
    answer = client.get(reverse("meetings:meeting_calendar", args=[meeting.pk]))
    assert answer["Content-Type"].startswith("text/calendar")
    lines = _lines(answer.content)
    assert lines[0] == "BEGIN:VCALENDAR" and "BEGIN:VEVENT" in lines
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    assert fields["SUMMARY"] == "GT-EORE · Réunion mensuelle"
    assert fields["LOCATION"] == "Bamako"
    assert any(k.startswith("DTSTART") and v.startswith("20250304T") for k, v in fields.items())
    assert fields["URL"].endswith(meeting.get_absolute_url())


def test_a_body_calendar_holds_its_coming_meetings(client, coordinator, body, meeting):
    import datetime

    from django.utils import timezone

    from kafo.meetings.models import Meeting

    start = timezone.now() + datetime.timedelta(days=7)
    Meeting.objects.create(body=body, title="Prochaine réunion", starts_at=start,
                           ends_at=start + datetime.timedelta(hours=1))  # fmt: skip
    client.force_login(coordinator)
    lines = _lines(client.get(reverse("meetings:body_calendar", args=[body.pk])).content)
    summaries = [line for line in lines if line.startswith("SUMMARY:")]
    assert summaries == ["SUMMARY:GT-EORE · Prochaine réunion"]  # the old one is past
