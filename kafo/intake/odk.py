"""ODK Central, through pyodk (its official client): a form's submissions from the OData
feed, their review state, their attachments, and the open hazards as an Entity List.

- `GET …/forms/{form}.svc/Submissions?$top=&$count=true&$expand=*[&$filter=]`, pages
  followed to the end by `@odata.nextLink` (or `$skip` while the count says more).
- A submission's id (`__id`) stays the same through its edits; `meta/instanceID` is its
  current version and `meta/deprecatedID` the one it replaced.
- `__system` carries `submissionDate`, `updatedAt`, `reviewState` and `formVersion`.
- Credentials come from the environment variables the source names. The session token is
  kept under KAFO_DATA_DIR (readable by Kafo's user only), so that a pull every 15
  minutes does not log in each time."""

import contextlib
import logging
import os
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from kafo.intake.kobo import IntakeError, http_reason

if TYPE_CHECKING:
    from pyodk import Client

    from kafo.intake.models import IntakeSource

logger = logging.getLogger(__name__)
# pyodk logs an error when no session token is kept yet: expected, on the first pull.
logging.getLogger("pyodk._utils.config").setLevel(logging.CRITICAL)

PAGE = 1000
# The Entity List a form's `select_one_from_file hazards.csv` is linked to by Central.
HAZARDS_ENTITY_LIST = "hazards"
# Kafo's outcome of a field report, as Central's review state of its submission.
REVIEW_STATES = {"validated": "approved", "rejected": "rejected"}


def credential(variable: str, what: str) -> str:
    """A credential from the environment variable the source names."""
    value = os.environ.get(variable, "").strip() if variable else ""
    if not value:
        raise IntakeError(_("The environment variable %(name)s holds no %(what)s.")
                          % {"name": variable or "?", "what": what})  # fmt: skip
    return value


def _session_file(source: "IntakeSource") -> Path:
    folder = Path(settings.DATA_DIR) / "intake" / "odk"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{source.pk}-session.toml"
    if not path.exists():
        path.touch(mode=0o600)  # pyodk writes the token into it
    return path


@contextlib.contextmanager
def _answers() -> Iterator[None]:
    """The server's failures, in words (IntakeError)."""
    from pydantic import ValidationError
    from pyodk.errors import PyODKError

    try:
        yield
    except PyODKError as error:
        response = error.args[1] if len(error.args) > 1 else None
        if isinstance(response, requests.Response):
            raise IntakeError(http_reason(response.status_code)) from error
        raise IntakeError(_("ODK Central refused: %(why)s") % {"why": error.args[0]}) from error
    except (requests.JSONDecodeError, ValidationError) as error:
        raise IntakeError(_("the server's answer is not JSON")) from error
    except requests.RequestException as error:
        raise IntakeError(_("the server does not answer (%(why)s)") % {"why": error}) from error


@contextlib.contextmanager
def client(source: "IntakeSource") -> Iterator["Client"]:
    """A logged-in pyodk client for the source's server and project."""
    from pyodk import Client
    from pyodk._utils.config import CentralConfig, Config

    config = Config(central=CentralConfig(
        base_url=source.url, username=credential(source.user_env, _("user")),
        password=credential(source.password_env, _("password")),
        default_project_id=source.project_id,
    ))  # fmt: skip
    cache = _session_file(source)
    with _answers(), Client(config=config, cache_path=cache, project_id=source.project_id) as odk:
        yield odk


def _same_server(url: str, source: "IntakeSource") -> bool:
    # The session's token is never sent to another host a link would name.
    return urllib.parse.urlsplit(url).netloc == urllib.parse.urlsplit(source.url).netloc


def submissions(source: "IntakeSource", since: str | None = None) -> Iterator[dict[str, Any]]:
    """Every submission of the form (submitted or updated at `since` or later, an ISO
    time, when given), as OData rows, following the pages to the end."""
    where = None
    if since:
        where = f"__system/submissionDate ge {since} or __system/updatedAt ge {since}"
    with client(source) as odk, _answers():
        seen = 0
        page = odk.submissions.get_table(form_id=source.form_id, top=PAGE, expand="*",
                                         filter=where)  # fmt: skip
        while True:
            rows = page.get("value") if isinstance(page, dict) else None
            if not isinstance(rows, list):
                raise IntakeError(_("the server's answer has no list of submissions"))
            yield from rows
            seen += len(rows)
            link = page.get("@odata.nextLink")
            if not rows:
                return
            if link and _same_server(link, source):
                page = odk.session.response_or_error("GET", link, logger).json()
            elif len(rows) >= PAGE:  # a full page without a link: ask on, by $skip
                page = odk.submissions.get_table(form_id=source.form_id, top=PAGE, skip=seen,
                                                 expand="*", filter=where)  # fmt: skip
            else:
                return


def _geo(value: dict[str, Any]) -> str:
    """A GeoJSON point or polygon as ODK Collect writes it ("lat lon alt acc", vertices
    joined by ";"), the form KoBo sends too."""

    def vertex(position: list, accuracy: Any = 0) -> str:
        lon, lat, *rest = position
        return f"{lat} {lon} {rest[0] if rest else 0} {accuracy or 0}"

    if value["type"] == "Point":
        return vertex(value["coordinates"], (value.get("properties") or {}).get("accuracy"))
    if value["type"] == "Polygon":
        return ";".join(vertex(p) for p in value["coordinates"][0])
    return ";".join(vertex(p) for p in value["coordinates"])  # a LineString (geotrace)


def flat(row: dict[str, Any]) -> dict[str, Any]:
    """An OData row as KoBo sends a submission: groups flattened (`where/pcode`), points
    and shapes as ODK Collect writes them, and the platform's keys named as KoBo's
    (`_id`, `meta/rootUuid`, `meta/instanceID`, `_submission_time`)."""
    out: dict[str, Any] = {}

    def walk(prefix: str, group: dict[str, Any]) -> None:
        for key, value in group.items():
            if key.startswith("__") or key.startswith("@"):
                continue
            if isinstance(value, dict) and "coordinates" in value and "type" in value:
                out[prefix + key] = _geo(value)
            elif isinstance(value, dict):
                walk(f"{prefix}{key}/", value)
            else:
                out[prefix + key] = value

    walk("", row)
    system = row.get("__system") or {}
    out["_id"] = row.get("__id", "")
    out["meta/rootUuid"] = row.get("__id", "")
    out.setdefault("meta/instanceID", row.get("__id", ""))
    out["_submission_time"] = system.get("submissionDate")
    out["_updated_time"] = system.get("updatedAt")
    out["_review_state"] = system.get("reviewState")
    out["_attachments_present"] = system.get("attachmentsPresent") or 0
    if "kafo_version" not in out and system.get("formVersion"):
        out["kafo_version"] = system["formVersion"]
    return out


def set_review_state(source: "IntakeSource", instance_id: str, outcome: str) -> str:
    """Mark a submission (its `__id`) approved or rejected on Central, so that the team
    sees Kafo's outcome there."""
    state = REVIEW_STATES[outcome]
    with client(source) as odk, _answers():
        odk.submissions.review(instance_id=instance_id, review_state=state,
                               form_id=source.form_id)  # fmt: skip
    return state


def _attachments_path(source: "IntakeSource", instance_id: str) -> str:
    quote = urllib.parse.quote
    return (f"projects/{source.project_id}/forms/{quote(source.form_id)}/submissions/"
            f"{quote(instance_id)}/attachments")  # fmt: skip


def attachments(source: "IntakeSource", instance_id: str) -> list[tuple[str, str]]:
    """The files a submission holds on Central: (name, address) of each one received."""
    path = _attachments_path(source, instance_id)
    with client(source) as odk, _answers():
        listed = odk.session.response_or_error("GET", path, logger).json()
        names = [str(item["name"]) for item in listed
                 if isinstance(item, dict) and item.get("exists")]  # fmt: skip
        return [(name, odk.session.urljoin(f"{path}/{urllib.parse.quote(name)}")) for name in names]


def download(source: "IntakeSource", url: str, target: Path) -> int:
    """Fetch an attachment into `target`, whole or not at all; returns its size."""
    if not _same_server(url, source):
        raise IntakeError(_("the file is not on the source's server"))
    partial = target.with_name(target.name + ".partial")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with client(source) as odk, _answers():
            response = odk.session.response_or_error("GET", url, logger, stream=True)
            size = 0
            with partial.open("wb") as out:
                for chunk in response.iter_content(64 * 1024):
                    out.write(chunk)
                    size += len(chunk)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return size


def publish_hazards(source: "IntakeSource", rows: list[dict[str, str]]) -> dict[str, int]:
    """Make the project's Entity List `hazards` hold exactly `rows` (the open hazards, as
    `hazards.csv` has them), matched on their reference: new ones created, changed ones
    updated, closed ones deleted (pyodk's merge). Returns how many of each."""
    # "name" and "label" are Central's own: the label is the entity's, the name its uuid.
    rows = [{key: value for key, value in row.items() if key != "name"} for row in rows]
    with client(source) as odk, _answers():
        names = {entity_list.name for entity_list in odk.entity_lists.list()}
        if HAZARDS_ENTITY_LIST not in names:
            odk.entity_lists.create(entity_list_name=HAZARDS_ENTITY_LIST)
        actions = odk.entities.merge(
            rows, entity_list_name=HAZARDS_ENTITY_LIST, match_keys=["reference"],
            delete_not_matched=True, create_source="Kafo",
        )  # fmt: skip
        updated = {key[0] for key in actions.to_update}
        # pyodk's merge keeps an entity's label as it is: a renamed hazard is relabelled.
        labels = {row["reference"]: row["label"] for row in rows}
        for entity in odk.entities.get_table(entity_list_name=HAZARDS_ENTITY_LIST)["value"]:
            label = labels.get(entity.get("reference"))
            if label is not None and entity.get("label") != label:
                version = entity["__system"]["version"]
                odk.entities.update(uuid=entity["__id"], entity_list_name=HAZARDS_ENTITY_LIST,
                                    label=label, base_version=version)  # fmt: skip
                updated.add(entity["reference"])
    return {"created": len(actions.to_insert), "updated": len(updated),
            "deleted": len(actions.to_delete)}  # fmt: skip
