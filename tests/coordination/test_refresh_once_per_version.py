"""Several changes in a row each ask for a refresh of the pages' analyses: the first
refresh that runs after the last change computes it, the others find it kept.

These tests commit (transactional_db): on PostgreSQL the version moves at commit."""

import dataclasses

from kafo.actors.models import Organisation
from kafo.coordination import registry
from kafo.coordination.cache import data_version
from kafo.coordination.tasks import refresh_analysis
from kafo.response.models import Activity


def test_a_refresh_computes_once_per_version(cached, demo_geography, monkeypatch):
    hi = Organisation.objects.create(name="Humanité & Inclusion", acronym="HI")
    gaps = registry.ANALYSES["gaps"]
    computed = []
    counted = dataclasses.replace(gaps, compute=lambda *a: computed.append(1) or gaps.compute(*a))
    monkeypatch.setitem(registry.ANALYSES, "gaps", counted)
    options = registry._json_options(gaps.read({"level": "2"}))
    for title in ("Sensibilisation", "Dépollution"):  # two changes, two refreshes asked
        Activity.objects.create(title=title, organisation=hi, sector="PRO-MIN")
    assert refresh_analysis.call("gaps", options, "fr") == data_version()
    assert refresh_analysis.call("gaps", options, "fr") == data_version()
    assert len(computed) == 1
    Activity.objects.create(title="Assistance", organisation=hi, sector="PRO-MIN")
    refresh_analysis.call("gaps", options, "fr")
    assert len(computed) == 2
