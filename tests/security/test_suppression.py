from hypothesis import given
from hypothesis import strategies as st

from kafo.security.suppression import SUPPRESSED, suppress, suppress_breakdown


def test_counts_under_five_are_shown_as_less_than_five():
    assert [suppress(n) for n in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]
    assert suppress(None) is None


def test_a_lone_hidden_cell_next_to_its_total_hides_the_next_smallest():
    shown = suppress_breakdown({"Mopti": 40, "Ségou": 3, "Gao": 9, "Kidal": 0})
    assert shown["Ségou"] == SUPPRESSED
    assert shown["Gao"] == "≥5"  # else 52 - 40 - 9 = 3 gives Ségou away
    assert shown["Mopti"] == 40 and shown["Kidal"] == 0


def test_two_hidden_cells_need_nothing_more():
    assert suppress_breakdown({"a": 2, "b": 3, "c": 9}) == {"a": "<5", "b": "<5", "c": 9}


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 30), max_size=8))
def test_no_single_small_count_can_be_recovered_from_the_total(counts):
    shown = suppress_breakdown(counts)
    exact = [key for key, value in shown.items() if isinstance(value, int)]
    hidden = [key for key in counts if key not in exact]
    small = [key for key in counts if 0 < counts[key] < 5]
    # every small count is hidden, and never alone beside a total that is shown (≥ 5)
    assert all(key in hidden for key in small)
    assert len(hidden) != 1 or sum(counts.values()) < 5
