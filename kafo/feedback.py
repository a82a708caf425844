"""Telling the user what went wrong on a form handled without its own page, and giving
the page back the form as it was typed."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, QueryDict

REFUSED = "kafo.refused_form"


def report_form_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    """One error message per field ("Label : reasons"), for a form posted from another
    page that redirects back to it; what was typed is kept for that page
    (`refused_or_new`), so one bad value does not wipe the rest."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label} : {' '.join(errors)}" if label else " ".join(errors))
    if hasattr(request, "session"):
        request.session[REFUSED] = {
            "form": type(form).__name__,
            "data": {key: request.POST.getlist(key) for key in request.POST
                     if key != "csrfmiddlewaretoken"},
        }  # fmt: skip


def refused_or_new(request: HttpRequest, form_class, **kwargs):
    """The form a page shows: the one refused just before, bound again to what was typed
    (its errors by their fields), or else a new one made with `kwargs`."""
    session = getattr(request, "session", None)
    kept = session.get(REFUSED) if session is not None else None
    if not kept or kept.get("form") != form_class.__name__:
        return form_class(**kwargs)
    del session[REFUSED]
    data = QueryDict(mutable=True)
    for key, values in kept["data"].items():
        data.setlist(key, values)
    kwargs.pop("initial", None)
    form = form_class(data=data, **kwargs)
    form.is_valid()  # computes the errors shown by each field
    return form
