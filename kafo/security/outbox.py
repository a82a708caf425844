"""Forms filled in the field with no link, sent later from the device's outbox.

The device gives each form a UUID (`client_uuid`). The server keeps a receipt of each
UUID in the same transaction as what the form made, so a form sent twice — the outbox
retrying after a lost answer, or a hand-carried file replayed — makes one record. A form
sent by the outbox (`X-Kafo-Outbox: 1`) is answered in JSON: `{"status": "created" or
"duplicate", "url"}`, 400 with the reasons, or 409 when it edits an older version.
"""

import functools
import json
import uuid as uuid_module
from collections.abc import Callable

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from kafo.numbers import colon
from kafo.security.models import OutboxReceipt

FIELD = "client_uuid"
HEADER = "HTTP_X_KAFO_OUTBOX"
# The views an outbox may send to (and a hand-carried file replay): kind → view.
OUTBOX_VIEWS: dict[str, Callable] = {}


class StaleEdit(Exception):
    """An edit made against an older version of a record: `merge_url` shows both."""

    def __init__(self, merge_url: str):
        super().__init__(merge_url)
        self.merge_url = merge_url


def made(request: HttpRequest, url: str) -> None:
    """Say, from an outbox view, that the form made (or changed) the record at `url`."""
    request.kafo_outbox_made = url  # type: ignore[attr-defined]


def refused(request: HttpRequest, *forms) -> None:
    """Say, from an outbox view, why its forms were refused ("field: reason")."""
    reasons = []
    for form in forms:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            reasons += [f"{label}{colon()}{error}" if label else str(error) for error in errors]
    request.kafo_outbox_refused = reasons  # type: ignore[attr-defined]


def from_outbox(request: HttpRequest) -> bool:
    """Whether the request was sent by an outbox (and wants JSON)."""
    return request.META.get(HEADER) == "1"


def client_uuid(request: HttpRequest) -> uuid_module.UUID | None:
    """The form's UUID, or None when it has none (or not a UUID: refused upstream)."""
    value = request.POST.get(FIELD, "").strip()
    try:
        return uuid_module.UUID(value) if value else None
    except ValueError:
        return None


def _answer(request, status: str, url: str, fallback: HttpResponse) -> HttpResponse:
    if from_outbox(request):
        return JsonResponse({"status": status, "url": url})
    return fallback


def idempotent(kind: str):
    """A view taking a form the outbox may send: its UUID is kept with what it made, in
    one transaction; the same UUID again answers what the first made."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            key = client_uuid(request)
            if request.POST.get(FIELD) and key is None:
                return _refused(request, _("%s is not a UUID.") % FIELD, 400)
            if key is None:  # a form with no UUID: as it always was
                return view(request, *args, **kwargs)
            if (first := _receipt(key)) is not None:
                return _duplicate(request, first)
            try:
                with transaction.atomic():
                    OutboxReceipt.objects.create(uuid=key, user=request.user, kind=kind,
                                                 carried_by=_carrier(request))  # fmt: skip
                    response = view(request, *args, **kwargs)
                    url = getattr(request, "kafo_outbox_made", None)
                    if url is None:  # the form was refused: no receipt, nothing kept
                        transaction.set_rollback(True)
                        return _refused_with_messages(request, response)
                    OutboxReceipt.objects.filter(uuid=key).update(result_url=url)
            except StaleEdit as stale:
                if from_outbox(request):
                    return JsonResponse({"status": "stale", "url": stale.merge_url}, status=409)
                from django.shortcuts import redirect

                return redirect(stale.merge_url)
            except IntegrityError:
                # Another request with the same UUID committed first (a retry sent while
                # the first was still being written).
                first = _receipt(key)
                if first is None:
                    raise
                return _duplicate(request, first)
            return _answer(request, "created", url, response)

        wrapped.outbox_kind = kind  # type: ignore[attr-defined]
        OUTBOX_VIEWS[kind] = wrapped
        return wrapped

    return decorate


def _carrier(request):
    return getattr(request, "kafo_carried_by", None)


def _receipt(key) -> OutboxReceipt | None:
    # Whoever sends it: a form filled by one person may be carried by another. A UUID is
    # made at random on the device; only who holds the form knows it.
    return OutboxReceipt.objects.filter(uuid=key).first()


def _duplicate(request, receipt: OutboxReceipt) -> HttpResponse:
    from django.shortcuts import redirect

    messages.info(request, _("This form had been received already: nothing new was made."))
    return _answer(request, "duplicate", receipt.result_url,
                   redirect(receipt.result_url or "home"))  # fmt: skip


def _refused(request, reason: str, status: int) -> HttpResponse:
    if from_outbox(request):
        return JsonResponse({"status": "refused", "errors": [reason]}, status=status)
    return HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8")


def _refused_with_messages(request, response: HttpResponse) -> HttpResponse:
    if not from_outbox(request):
        return response
    # The view's messages say it as its page would; else the forms' errors.
    reasons = [str(m) for m in messages.get_messages(request) if m.level >= messages.WARNING]
    reasons = reasons or list(getattr(request, "kafo_outbox_refused", []))
    return JsonResponse({"status": "refused", "errors": reasons or [_("The form was refused.")]},
                        status=400)  # fmt: skip


def replay(request: HttpRequest, items: list[dict]) -> list[dict]:
    """Replay a hand-carried outbox file's forms for the user who brings it: each one to
    its own view (one that takes outbox forms, and no other), with its UUID (so a form
    sent already makes nothing). Returns, for each, its UUID, form, status ("created",
    "duplicate", "refused", "stale") and url or reasons."""
    from django.contrib.messages.storage import default_storage
    from django.http import QueryDict
    from django.urls import Resolver404, resolve

    results = []
    for item in items:
        kind, url = item.get("kind"), item.get("url", "")
        try:
            match = resolve(url.split("?", 1)[0])
        except Resolver404:
            match = None
        if match is None or getattr(match.func, "outbox_kind", None) is None:
            results.append({"uuid": item.get("uuid"), "kind": kind, "status": "refused",
                            "errors": [_("%s is not a form the outbox sends.") % url]})  # fmt: skip
            continue
        forwarded = HttpRequest()
        forwarded.method, forwarded.path = "POST", url.split("?", 1)[0]
        forwarded.path_info = forwarded.path
        forwarded.META = {**request.META, HEADER: "1", "REQUEST_METHOD": "POST"}
        forwarded.POST = QueryDict(mutable=True)
        for name, value in item.get("fields", []):
            forwarded.POST.appendlist(str(name), str(value))
        forwarded.POST[FIELD] = str(item.get("uuid", ""))
        forwarded.user, forwarded.session = request.user, request.session
        forwarded.LANGUAGE_CODE = getattr(request, "LANGUAGE_CODE", "fr")
        forwarded._messages = default_storage(forwarded)  # type: ignore[attr-defined]
        forwarded.kafo_carried_by = request.user  # type: ignore[attr-defined]
        answer = json.loads(match.func(forwarded, *match.args, **match.kwargs).content)
        results.append({"uuid": item.get("uuid"), "kind": kind, **answer})
    return results
