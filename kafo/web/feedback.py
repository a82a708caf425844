"""Telling the user what went wrong on a form handled without its own page."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest


def report_form_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    """One error message per field ("Label : reasons"), for a form posted from another
    page that redirects back to it."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label} : {' '.join(errors)}" if label else " ".join(errors))
