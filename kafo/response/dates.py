"""Dates on the response forms."""

from django import forms
from django.utils.translation import gettext as _


def dates_in_order(form: forms.Form, start: str, end: str) -> None:
    first, last = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if first and last and last < first:
        form.add_error(end, _("The end (%(end)s) is before the start (%(start)s).")
                       % {"end": last.isoformat(), "start": first.isoformat()})  # fmt: skip


def date_input():
    return forms.DateInput(attrs={"type": "date"})
