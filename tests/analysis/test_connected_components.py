"""Clusters of overlapping records are the connected components of the pairs: checked
against a plain union-find on random graphs (chains, stars, isolated pairs, big ids)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kafo.analysis.duplicates import connected_components


def union_find(edges: list[tuple[int, int]]) -> dict[int, int]:
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = root(a), root(b)
        parent[max(ra, rb)] = min(ra, rb)
    return {x: root(x) for x in parent}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 60), st.integers(1, 60)), max_size=120),
    st.integers(0, 10**9),
)
def test_the_same_components_as_a_union_find(edges, offset):
    edges = [(a + offset, b + offset) for a, b in edges if a != b]
    a = np.array([e[0] for e in edges], dtype=np.int64)
    b = np.array([e[1] for e in edges], dtype=np.int64)
    nodes, clusters = connected_components(a, b)
    assert dict(zip(nodes.tolist(), clusters.tolist(), strict=True)) == union_find(edges)


def test_a_long_chain_in_reverse_order_is_one_cluster():
    ids = np.arange(10_000, 0, -1, dtype=np.int64)
    nodes, clusters = connected_components(ids[:-1], ids[1:])
    assert len(nodes) == 10_000 and set(clusters.tolist()) == {1}
