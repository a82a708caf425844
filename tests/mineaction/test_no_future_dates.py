"""What happened happened by today: a report's date of information, and the date of an
accident, a session, a service or a visit, are refused in the future (Kafo's field forms
refuse them too), with the reason on the field."""

import datetime

from django.utils import timezone

from kafo.mineaction.forms import AccidentForm, EoreForm, ReportHeaderForm
from tests.conftest import RECORD_DEFAULTS


def test_a_date_of_information_in_the_future_is_refused(db):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = ReportHeaderForm(data={"date_of_information": tomorrow.isoformat()})
    assert not form.is_valid()
    assert form.errors["date_of_information"] == ["La date ne peut pas être dans le futur."]
    assert ReportHeaderForm(data={"date_of_information": timezone.localdate()}).is_valid()


def test_an_event_in_the_future_is_refused(demo_geography):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    for form_class, kind in ((AccidentForm, "accident"), (EoreForm, "eore")):
        form = form_class(data={**RECORD_DEFAULTS[kind], "date": tomorrow})
        assert not form.is_valid()
        assert form.errors["date"] == ["La date ne peut pas être dans le futur."]
        today = form_class(data={**RECORD_DEFAULTS[kind], "date": timezone.localdate()})
        assert "date" not in today.errors
