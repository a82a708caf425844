"""Priority scores and amounts are rounded as Python rounds (the correctly rounded decimal), also
next to a half, where numpy's scaling alone can round the other way."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kafo.analysis.engine import rounded


@given(st.lists(st.floats(min_value=0, max_value=1e9, allow_nan=False), max_size=50))
def test_it_rounds_as_python(values):
    assert rounded(np.array(values, dtype=float), 4).tolist() == [round(v, 4) for v in values]


@given(st.lists(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), max_size=50))
def test_amounts_to_the_cent_as_python(values):
    assert rounded(np.array(values, dtype=float), 2).tolist() == [round(v, 2) for v in values]


def test_halves_and_their_neighbours():
    halves = [0.03125, 0.00005, 1.00005, 0.12345, 2.67185, 0.1 + 0.2, 123456.78905]
    values = [np.nextafter(h, d) for h in halves for d in (0, np.inf)] + halves
    assert rounded(np.array(values), 4).tolist() == [round(v, 4) for v in values]


def test_cents_next_to_a_half():
    halves = [0.125, 1.005, 2.675, -2.675, 1234567.895, 987654321.015]
    values = [np.nextafter(h, d) for h in halves for d in (-np.inf, np.inf)] + halves
    assert rounded(np.array(values), 2).tolist() == [round(v, 2) for v in values]
