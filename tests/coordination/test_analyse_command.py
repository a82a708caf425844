"""`kafo analyse gaps` on Kafo's own data: through the ORM (tests) and by DuckDB reading
the database file itself (the command line)."""

import datetime
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kafo.geo.models import AdminUnit
from kafo.response.models import Activity, Need

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def planted(demo_geography, organisation):
    hi = organisation("HI")
    mopti, segou = AdminUnit.objects.get(pcode="ML0501"), AdminUnit.objects.get(pcode="ML0401")
    Need.objects.create(admin_unit=mopti, sector="PRO-MIN", year=2025, in_need=1000)
    Need.objects.create(admin_unit=segou, sector="PRO-MIN", year=2025, in_need=300)
    activity = Activity.objects.create(
        organisation=hi, title="EER", sector="PRO-MIN", activity_type="EORE",
        planned_start=datetime.date(2025, 1, 1), planned_end=datetime.date(2025, 6, 30),
        reached_girls=200, reached_boys=100, targeted_women=700,
    )  # fmt: skip
    activity.locations.set([mopti])


def test_gaps_as_json(planted):
    out = StringIO()
    call_command("analyse", "gaps", "--level", "2", "--sector", "pro-min", "--from",
                 "2025-01-01", "--to", "2025-12-31", "--format", "json", stdout=out)  # fmt: skip
    result = json.loads(out.getvalue())
    by_unit = {row["pcode"]: row for row in result["units"]}
    assert (by_unit["ML0501"]["reached"], by_unit["ML0501"]["coverage"]) == (300, 0.3)
    assert by_unit["ML0501"]["class"] == "below_target"
    assert by_unit["ML0501"]["projected_class"] == "on_track"
    assert by_unit["ML0401"]["class"] == "no_presence"
    assert result["level"] == 2 and result["imprecise"] == []


def test_gaps_as_csv_and_table(planted):
    out = StringIO()
    call_command("analyse", "gaps", "--format", "csv", stdout=out)
    assert out.getvalue().splitlines()[0].startswith("pcode,name,sector,need")
    out = StringIO()
    call_command("analyse", "gaps", stdout=out)
    assert "no_presence" in out.getvalue()


def test_bad_options_are_refused(planted):
    with pytest.raises(CommandError):
        call_command("analyse", "gaps", "--from", "hier")
    with pytest.raises(CommandError):
        call_command("analyse", "gaps", "--level", "9")


def test_duckdb_reads_the_database_file_itself(tmp_path):
    env = {**os.environ, "KAFO_DATA_DIR": str(tmp_path)}
    env.pop("KAFO_DATABASE_URL", None)

    def kafo(*args):
        return subprocess.run([sys.executable, "-m", "kafo", *args], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300, check=True)  # fmt: skip

    kafo("migrate", "-v", "0")
    kafo("shell", "-c", (
        "import datetime\n"
        "from kafo.geo.demo import DEMO_VERSION, demo_boundary_set\n"
        "from kafo.geo.importing import write_boundary_set\n"
        "from kafo.actors.models import Organisation\n"
        "from kafo.geo.models import AdminUnit\n"
        "from kafo.response.models import Activity, Need\n"
        "b, p = demo_boundary_set()\n"
        "write_boundary_set(b, DEMO_VERSION, is_demo=True, population=p, activate=True)\n"
        "u = AdminUnit.objects.get(pcode='ML0501')\n"
        "Need.objects.create(admin_unit=u, sector='PRO-MIN', year=2025, in_need=100)\n"
        "o = Organisation.objects.create(name='HI', acronym='HI', type='international_ngo')\n"
        "a = Activity.objects.create(organisation=o, title='x', sector='PRO-MIN',"
        " activity_type='EORE', planned_start=datetime.date(2025, 1, 1), reached_girls=60)\n"
        "a.locations.set([u])\n"
    ))  # fmt: skip
    result = json.loads(kafo("analyse", "gaps", "--format", "json").stdout)
    [mopti] = [row for row in result["units"] if row["pcode"] == "ML0501"]
    assert (mopti["need"], mopti["reached"], mopti["coverage"]) == (100, 60, 0.6)


def test_duplicates_as_json(planted, organisation):
    drc = organisation("DRC")
    other = Activity.objects.create(
        organisation=drc, title="EER aussi", sector="PRO-MIN", activity_type="EORE",
        planned_start=datetime.date(2025, 3, 1), reached_girls=5, source_id="DRC-9",
    )  # fmt: skip
    other.locations.set([AdminUnit.objects.get(pcode="ML0501")])
    out = StringIO()
    call_command("analyse", "duplicates", "--format", "json", stdout=out)
    [cluster] = json.loads(out.getvalue())["clusters"]
    assert cluster["kind"] == "likely_duplicate" and cluster["organisations"] == ["DRC", "HI"]
    assert "DRC-9" in cluster["records"]
    with pytest.raises(CommandError):
        call_command("analyse", "duplicates", "--radius", "-1")


def test_equity_as_json_and_table(planted):
    out = StringIO()
    call_command("analyse", "equity", "--sector", "PRO-MIN", "--format", "json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["underserved"][0]["pcode"] == "ML0401"
    assert result["people_in_need_covered"] == pytest.approx(1000 / 1300, abs=1e-4)
    out, err = StringIO(), StringIO()
    call_command("analyse", "equity", stdout=out, stderr=err)
    assert out.getvalue().startswith("pcode") and "Gini" in err.getvalue()


def test_alignment_of_the_national_strategy(planted, organisation):
    from decimal import Decimal

    from kafo.funding.models import Transaction, TransactionObjective
    from kafo.response.models import ActivityObjective, Framework, Indicator, Objective

    authority = organisation("CNLPAL", "national_authority")
    echo = organisation("ECHO", "donor")
    strategy = Framework.objects.create(owner=authority, kind="mine_action_strategy",
                                        name="SNLAM", start_year=2024, end_year=2028)  # fmt: skip
    pillar = Objective.objects.create(framework=strategy, level="pillar", code="P1", title="EER")
    Indicator.objects.create(objective=pillar, name="budget", measure="budget_usd",
                             target=Decimal(2000))  # fmt: skip
    activity = Activity.objects.get(title="EER")
    ActivityObjective.objects.create(activity=activity, objective=pillar, percentage=100)
    flow = Transaction.objects.create(
        type="3", provider=echo, receiver=activity.organisation, activity=activity,
        date=datetime.date(2025, 2, 1), amount=Decimal(1000), currency="USD",
        rate_to_usd=Decimal(1), rate_to_xof=Decimal(600), rate_date=datetime.date(2025, 2, 1),
        rate_source="t",
    )  # fmt: skip
    TransactionObjective.objects.create(transaction=flow, objective=pillar, percentage=100)
    out = StringIO()
    call_command("analyse", "alignment", "--format", "json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["framework"]["name"] == "SNLAM"
    assert result["funding"]["disbursed"]["aligned_share"] == 1.0
    assert result["pillars"][0]["target_usd"] == 2000
    with pytest.raises(CommandError):
        call_command("analyse", "alignment", "--framework", "999")


def test_priorities_use_the_authoritys_weights(mine_action, user_with_role):
    from kafo.actors.models import Role
    from kafo.mineaction.models import PriorityWeights

    editor = user_with_role(Role.PARTNER_EDITOR)
    near = mine_action.hazard(editor, name="Près", blockages=["road", "school"])
    far = mine_action.hazard(editor, name="Loin", geometry="",
                             longitude=-3.6, latitude=14.35)  # fmt: skip
    out = StringIO()
    call_command("analyse", "priorities", "--format", "json", stdout=out)
    ranked = [h["reference"] for h in json.loads(out.getvalue())["hazards"]]
    assert ranked == [near.reference, far.reference]
    PriorityWeights.objects.create(casualties=0, population=0, settlements=0, blockages=0,
                                   access=1)  # fmt: skip
    out = StringIO()
    call_command("analyse", "priorities", "--format", "json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["weights"]["blockages"] == 0 and result["weights"]["access"] == 1


def test_gaps_by_activity_type(planted):
    out = StringIO()
    call_command("analyse", "gaps", "--by", "activity-type", "--from", "2025-01-01",
                 "--to", "2025-12-31", "--format", "json", stdout=out)  # fmt: skip
    [row] = json.loads(out.getvalue())["units"]  # the EORE activity; no hazard, no need
    assert (row["pcode"], row["activity_type"], row["reached"]) == ("ML0501", "EORE", 300)
    out = StringIO()
    call_command("analyse", "gaps", "--by", "activity-type", "--format", "csv", stdout=out)
    assert out.getvalue().splitlines()[0].startswith("pcode,name,sector,activity_type,need,hazards")
    with pytest.raises(CommandError):
        call_command("analyse", "gaps", "--by", "activity-type", "--sector", "WSH")
