"""Each analysis runs with Python's cycle collector paused (its rows hold no cycles, and
collections would walk every object of the process) and resumes it (the pause itself:
tests/test_collector.py)."""

import gc

import pytest

from kafo.analysis import alignment as alignment_module
from kafo.analysis import duplicates as duplicates_module
from kafo.analysis import gaps as gaps_module
from kafo.analysis import priorities as priorities_module
from tests.analysis.tables import connection_with

UNITS = [("ML", "Mali", 0, None, 1000.0, 0), ("ML01", "Kayes", 1, "ML", 500.0, 1000)]
OBJECTIVES = [(1, 1, "Stratégie", None, "pillar", "P1", "Dépollution", 1000.0)]


@pytest.mark.parametrize(
    "module, run",
    [
        (gaps_module, lambda m, con: m.gaps(con, m.GapOptions(level=1))),
        (duplicates_module, lambda m, con: m.duplicates(con)),
        (alignment_module, lambda m, con: m.alignment(con, m.AlignmentOptions(framework_id=1))),
        (priorities_module, lambda m, con: m.priorities(con, m.PriorityOptions(level=1))),
    ],
)
def test_each_analysis_runs_with_the_collector_paused(module, run):
    seen = []
    con = connection_with(units=UNITS, objectives=OBJECTIVES)

    class Watched:
        def execute(self, *args):
            seen.append(gc.isenabled())
            return con.execute(*args)

        def __getattr__(self, name):
            return getattr(con, name)

    assert gc.isenabled()  # tests/conftest.py fails any test that leaves it paused
    run(module, Watched())
    assert seen and not any(seen)
    assert gc.isenabled()
