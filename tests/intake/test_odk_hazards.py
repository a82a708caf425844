"""The open hazards as an ODK Central Entity List named `hazards` (the one a form's
`select_one_from_file hazards.csv` is linked to), through pyodk: created the first time,
then kept equal to the open hazards (new ones created, changed ones updated, closed
ones deleted), one list per project; the same rows as `hazards.csv`."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from kafo.intake.models import IntakeSource
from kafo.intake.tasks import publish_hazards
from kafo.intake.xlsforms import hazards_csv
from kafo.mineaction.models import Hazard
from tests.intake.conftest import PASSWORD_ENV, USER_ENV


@pytest.fixture
def source(odk_source, mine_action):
    return odk_source("activity", "kafo_activity", "Relevés HI")


def _entities(odk) -> dict[str, dict]:
    return {e["data"]["reference"]: {"label": e["label"], **e["data"]}
            for e in odk.entity_lists["hazards"].values()}  # fmt: skip


def _hazards(command: str = "hazards") -> dict:
    out = io.StringIO()
    call_command("intake", command, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_open_hazards_become_the_entity_list(odk, source, mine_action, coordinator):
    first = mine_action.hazard(coordinator, name="Champ de Sévaré")
    second = mine_action.hazard(coordinator, name="Route de Douentza")
    closed = mine_action.hazard(coordinator, name="Puits", status="closed")
    said = _hazards()
    assert (said["created"], said["updated"], said["deleted"], said["hazards"]) == (2, 0, 0, 2)
    entities = _entities(odk)
    # The same rows as hazards.csv, read back by the csv module: label and properties.
    rows = {row["reference"]: row for row in csv.DictReader(io.StringIO(hazards_csv().decode()))}
    assert set(entities) == set(rows) == {first.reference, second.reference}
    for reference, row in rows.items():
        assert entities[reference] == {k: v for k, v in row.items() if k != "name"}
    assert closed.reference not in entities
    assert _hazards() == {"created": 0, "updated": 0, "deleted": 0, "hazards": 2, "errors": []}

    Hazard.objects.filter(pk=first.pk).update(name="Champ de Sévaré-Nord")
    Hazard.objects.filter(pk=second.pk).update(status="closed")
    third = mine_action.hazard(coordinator, name="Gué de Konna")
    said = _hazards()
    assert (said["created"], said["updated"], said["deleted"]) == (1, 1, 1)
    entities = _entities(odk)
    assert set(entities) == {first.reference, third.reference}
    assert "Champ de Sévaré-Nord" in entities[first.reference]["label"]


def test_one_list_per_project(odk, source, organisation, mine_action, coordinator):
    mine_action.hazard(coordinator)
    IntakeSource.objects.create(
        name="Accidents HI", platform="odk", url=odk.url + "/", project_id=odk.project,
        form_id="kafo_accident", user_env=USER_ENV, password_env=PASSWORD_ENV,
        organisation=organisation("DRC"), kind="accident",
    )  # fmt: skip
    assert publish_hazards.call() == {"created": 1, "updated": 0, "deleted": 0, "failed": 0}
    assert sum("POST /v1/projects/1/datasets " in r + " " for r in odk.requests) == 1


def test_a_failing_server_is_said(odk, source, mine_action, coordinator):
    mine_action.hazard(coordinator)
    odk.password = "changed"
    with pytest.raises(CommandError, match=r"Relevés HI.*401"):
        _hazards()
    assert publish_hazards.call()["failed"] == 1
