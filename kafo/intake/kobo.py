"""KoBoToolbox's v2 API, over plain HTTP: an asset's submissions, page after page.

`GET {server}/api/v2/assets/{uid}/data/?format=json&start=S&limit=L[&query=…]` answers
`{"count", "next", "previous", "results"}`. The server caps a page (100 by default now,
1,000 at most) whatever is asked: the pages are followed to the end, never assumed to be
one."""

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

PAGE = 1000
TIMEOUT_SECONDS = 60


class IntakeError(Exception):
    """A pull that could not go on: the server's answer, in words (nothing was kept)."""


def token(variable: str) -> str:
    """The API token from the environment variable the source names."""
    value = os.environ.get(variable, "").strip() if variable else ""
    if not value:
        raise IntakeError(_("The environment variable %(name)s holds no token.")
                          % {"name": variable or "?"})  # fmt: skip
    return value


def http_reason(code: int) -> str:
    """A server's HTTP failure, in words."""
    reasons = {401: _("the credentials were refused (401)"),
               403: _("the credentials may not read this form (403)"),
               404: _("no such form on the server (404)"),
               429: _("the server asks to wait before asking again (429)")}  # fmt: skip
    return reasons.get(code) or _("the server failed (%(code)s)") % {"code": code}


def _get(url: str, secret: str, method: str = "GET", body: dict | None = None) -> dict[str, Any]:
    headers = {"Authorization": f"Token {secret}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            answer_body = answer.read()
    except urllib.error.HTTPError as error:
        raise IntakeError(http_reason(error.code)) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise IntakeError(_("the server does not answer (%(why)s)")
                          % {"why": getattr(error, "reason", error)}) from error  # fmt: skip
    try:
        page = json.loads(answer_body)
    except ValueError as error:
        raise IntakeError(_("the server's answer is not JSON")) from error
    if not isinstance(page, dict):
        raise IntakeError(_("the server's answer has no list of submissions"))
    return page


def submissions(server: str, asset: str, secret: str,
                since: str | None = None) -> Iterator[dict[str, Any]]:  # fmt: skip
    """Every submission of the asset (submitted at `since` or later, an ISO time, when
    given), following the pages to the end."""
    base = f"{server.rstrip('/')}/api/v2/assets/{urllib.parse.quote(asset)}/data/"
    params: dict[str, Any] = {"format": "json", "limit": PAGE, "sort": '{"_id": 1}'}
    if since:
        params["query"] = json.dumps({"_submission_time": {"$gte": since}})
    start = 0
    while True:
        page = _get(f"{base}?{urllib.parse.urlencode({**params, 'start': start})}", secret)
        results = page.get("results")
        if not isinstance(results, list):
            raise IntakeError(_("the server's answer has no list of submissions"))
        yield from results
        start += len(results)
        count = page.get("count")
        if not results or not page.get("next") or (isinstance(count, int) and start >= count):
            return


# Kafo's outcome of a field report, as KoBo's validation status of its submission.
VALIDATION_STATUSES = {"validated": "validation_status_approved",
                       "rejected": "validation_status_not_approved"}  # fmt: skip


def set_validation_status(server: str, asset: str, secret: str, submission_id: str,
                          status: str) -> None:  # fmt: skip
    """Mark one submission (its `_id`) with a KoBo validation status
    (`PATCH …/data/{id}/validation_status/`), so that the team sees it on KoBo."""
    url = (f"{server.rstrip('/')}/api/v2/assets/{urllib.parse.quote(asset)}/data/"
           f"{urllib.parse.quote(str(submission_id))}/validation_status/")  # fmt: skip
    _get(url, secret, method="PATCH", body={"validation_status.uid": status})


def download(url: str, secret: str, target) -> int:
    """Fetch a file (an attachment) with the token into `target` (a Path), whole or not at
    all (written apart, then renamed); returns its size."""
    request = urllib.request.Request(url, headers={"Authorization": f"Token {secret}"})
    partial = target.with_name(target.name + ".partial")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer,
              partial.open("wb") as out):  # fmt: skip
            size = 0
            while chunk := answer.read(64 * 1024):
                out.write(chunk)
                size += len(chunk)
    except urllib.error.HTTPError as error:
        partial.unlink(missing_ok=True)
        raise IntakeError(_("the server failed (%(code)s)") % {"code": error.code}) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        partial.unlink(missing_ok=True)
        raise IntakeError(_("the server does not answer (%(why)s)")
                          % {"why": getattr(error, "reason", error)}) from error  # fmt: skip
    partial.replace(target)
    return size
