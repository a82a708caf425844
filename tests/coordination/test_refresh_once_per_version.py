"""Several changes in a row each ask for a refresh of the pages' analyses: the first
refresh that runs after the last change computes it, the others find it kept.

These tests commit (transactional_db): on PostgreSQL the version moves at commit."""

import dataclasses

from django.utils import translation

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


def test_a_refresh_waits_a_little_for_the_changes_that_follow(cached, settings):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from kafo.coordination.tasks import REFRESH_DELAY_SECONDS, ask_refresh

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}  # fmt: skip
    before = timezone.now()
    ask_refresh("gaps", {"level": 2}, "fr")
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("refresh_analysis")
    assert queued.args_kwargs["args"] == ["gaps", {"level": 2}, "fr"]
    waits = (queued.run_after - before).total_seconds()
    assert REFRESH_DELAY_SECONDS <= waits < REFRESH_DELAY_SECONDS + 5
    assert not DBTaskResult.objects.ready().exists()  # not before its time


def test_where_tasks_run_in_the_request_a_refresh_runs_at_once(cached, demo_geography):
    from django.core.cache import cache

    from kafo.coordination.cache import answer_key
    from kafo.coordination.tasks import ask_refresh

    options = registry._json_options(registry.ANALYSES["gaps"].read({"level": "2"}))
    ask_refresh("gaps", options, "fr")
    with translation.override("fr"):
        assert cache.get(answer_key("gaps", options, data_version())) is not None
