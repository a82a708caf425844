"""Each flow's intermediary depth along the recorded chains: direct, through one, through
more; unknown with a missing link or in a cycle no origin reaches; ties by name. The
expected depths are read off the small graphs drawn in each test."""

from kafo.analysis.localisation import CYCLE, MISSING, Flow, chains, depth_class

DONORS = {"ECHO", "USA", "BID"}


def depths(*edges: str, donors=DONORS) -> dict[str, tuple]:
    """Edges "A>B" (in order, ids from 1); each flow's (depth, origin, unknown)."""
    flows = [Flow(n, *edge.split(">")) for n, edge in enumerate(edges, start=1)]
    found = chains(flows, lambda key: key in donors)
    return {edge: (found[n].depth, found[n].origin, found[n].unknown)
            for n, edge in enumerate(edges, start=1)}  # fmt: skip


def test_direct_one_intermediary_and_more():
    found = depths("ECHO>AMSS", "ECHO>UNICEF", "UNICEF>AMSS", "UNICEF>HI", "HI>ASDAP")
    assert found == {
        "ECHO>AMSS": (0, "ECHO", ""),
        "ECHO>UNICEF": (0, "ECHO", ""),
        "UNICEF>AMSS": (1, "ECHO", ""),
        "UNICEF>HI": (1, "ECHO", ""),
        "HI>ASDAP": (2, "ECHO", ""),
    }
    assert [depth_class(d) for d in (0, 1, 2, 5, None)] == ["0", "1", "2+", "2+", "unknown"]


def test_the_shortest_recorded_path_counts():
    # HI gets money from ECHO directly and through UNICEF: it is one step from an origin.
    found = depths("ECHO>UNICEF", "UNICEF>HI", "ECHO>HI", "HI>ASDAP")
    assert found["HI>ASDAP"] == (1, "ECHO", "")


def test_a_missing_link():
    # MAG funds AMSS, but nothing records where MAG's money came from, and an NGO does not
    # fund from its own means.
    found = depths("MAG>AMSS", "AMSS>ASDAP", "ECHO>HI")
    assert found["MAG>AMSS"] == (None, None, MISSING)
    assert found["AMSS>ASDAP"] == (None, None, MISSING)
    assert found["ECHO>HI"] == (0, "ECHO", "")


def test_a_cycle_no_origin_reaches():
    found = depths("FONDS>HI", "HI>FONDS", "HI>AMSS")
    assert found == {"FONDS>HI": (None, None, CYCLE), "HI>FONDS": (None, None, CYCLE),
                     "HI>AMSS": (None, None, CYCLE)}  # fmt: skip


def test_a_cycle_an_origin_reaches_ends_and_counts_from_the_origin():
    # USA → FONDS → HI → AMSS: two intermediaries, whatever HI sends back to FONDS.
    found = depths("USA>FONDS", "FONDS>HI", "HI>FONDS", "HI>AMSS")
    assert found["FONDS>HI"] == (1, "USA", "")
    assert found["HI>FONDS"] == (2, "USA", "")
    assert found["HI>AMSS"] == (2, "USA", "")


def test_a_donor_that_receives_money_is_an_intermediary():
    # A pooled fund receives from donors: the money it passes on is one step removed.
    found = depths("USA>FONDS", "ECHO>FONDS", "FONDS>AMSS", donors=DONORS | {"FONDS"})
    assert found["FONDS>AMSS"] == (1, "ECHO", "")  # two origins at one step: by name


def test_the_order_of_the_rows_does_not_matter():
    edges = ["USA>UNICEF", "ECHO>UNICEF", "UNICEF>AMSS", "BID>AMSS", "AMSS>ASDAP"]
    assert depths(*edges) == depths(*reversed(edges))
