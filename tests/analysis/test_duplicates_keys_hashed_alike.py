"""The duplicates' keys (activity type, organisation) are hashes of the names: should two
names hash alike, the keys are numbered over the names instead, and the answer is the
same. Checked by making the keys from something that mixes names up (their length)."""

import pytest

from kafo.analysis import duplicates as module
from kafo.analysis.duplicates import DuplicateOptions, duplicates
from tests.analysis.test_duplicates import planted_connection
from tests.analysis.test_duplicates_without_every_pair import _random_records

# Lengths: "HI" and "NR" are alike, "EORE" and "NTS-" too: two names, one key.
MIXED = {"type_key": "length(activity_type)", "organisation_key": "length(organisation)"}


def _renamed(records: list) -> list:
    names = {"DRC": "NR", "CLR": "NTS-"}
    return [(i, names.get(org, org), names.get(kind, kind), *rest)
            for i, org, kind, *rest in records]  # fmt: skip


@pytest.mark.parametrize("seed", range(3))
def test_names_hashed_alike_are_told_apart(monkeypatch, seed):
    records = _renamed(_random_records(seed, 80))
    expected = duplicates(planted_connection(records), DuplicateOptions())
    assert expected["clusters"] and expected["double_reporting_count"]
    numbered = []
    monkeypatch.setattr(module, "KEYS", MIXED)
    monkeypatch.setattr(module, "_number_keys",
                        lambda con: numbered.append(True) or NUMBER_KEYS(con))  # fmt: skip
    assert duplicates(planted_connection(records), DuplicateOptions()) == expected
    assert numbered, "the mixed keys were numbered again"


def test_keys_mixed_up_would_change_the_answer(monkeypatch):
    # What the numbering prevents: the same records with the mixed keys kept.
    records = _renamed(_random_records(0, 80))
    expected = duplicates(planted_connection(records), DuplicateOptions())
    monkeypatch.setattr(module, "KEYS", MIXED)
    monkeypatch.setattr(module, "_number_keys", lambda con: None)
    assert duplicates(planted_connection(records), DuplicateOptions()) != expected


NUMBER_KEYS = module._number_keys
