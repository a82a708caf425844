"""An answer that another process is computing is waited for, not computed again at the
same time (the first minute after a start or a change, many readers ask for the same
one); when that process fails, the reader computes it itself.

These tests commit (transactional_db): on PostgreSQL the version moves at commit."""

import pytest
from django.core.cache import cache

from kafo.coordination import cache as answers
from kafo.coordination.cache import answer_key, cached_answer, data_version


def _another_process_computes(options):
    key = answer_key("gaps", options, data_version())
    assert cache.add(key + ":computing", 1, 60)
    return key


def test_a_reader_waits_for_the_answer_being_computed(cached, monkeypatch):
    options = {"level": 2}
    key = _another_process_computes(options)
    naps = []

    def nap(seconds):  # meanwhile, the other process keeps its answer
        naps.append(seconds)
        if len(naps) == 3:
            answers.keep("gaps", options, data_version(), {"count": 7})

    monkeypatch.setattr(answers.time, "sleep", nap)
    calls = []
    answer = cached_answer("gaps", options, lambda: calls.append(1) or {"count": 0})
    assert answer == ({"count": 7}, None) and calls == [] and len(naps) == 3
    assert cache.get(key + ":computing") == 1  # the other process's mark, left to it


def test_a_reader_computes_it_when_the_other_process_fails(cached, monkeypatch):
    options = {"level": 2}
    key = _another_process_computes(options)

    def nap(seconds):  # the other process fails: its mark goes, no answer is kept
        cache.delete(key + ":computing")

    monkeypatch.setattr(answers.time, "sleep", nap)
    assert cached_answer("gaps", options, lambda: {"count": 1}) == ({"count": 1}, None)
    assert cache.get(key) == {"count": 1}


def test_a_reader_stops_waiting_after_a_while(cached, monkeypatch):
    options = {"level": 2}
    _another_process_computes(options)
    clock = [0.0]
    monkeypatch.setattr(answers.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(answers.time, "sleep", lambda s: clock.__setitem__(0, clock[0] + s))
    assert cached_answer("gaps", options, lambda: {"count": 2}) == ({"count": 2}, None)
    assert clock[0] >= answers.WAIT_SECONDS


def test_the_mark_goes_when_the_computation_fails(cached):
    options = {"level": 2}

    def broken():
        raise RuntimeError("engine")

    with pytest.raises(RuntimeError):
        cached_answer("gaps", options, broken)
    key = answer_key("gaps", options, data_version())
    assert cache.get(key + ":computing") is None
    assert cached_answer("gaps", options, lambda: {"count": 3}) == ({"count": 3}, None)
