"""A page reads its share of an analysis's answer: the long lists it shows only the head
of (the duplications' double reporting, the gaps' imprecise activities) cut to that head,
with their lengths. It is kept beside the whole answer, for the same data version, so
that a page does not load what it will not show; the API and the command line still get
the whole answer.

These tests commit (transactional_db): on PostgreSQL the version moves at commit."""

import dataclasses
import datetime

from django.urls import reverse

from kafo.actors.models import Organisation, Role
from kafo.coordination import registry
from kafo.coordination.pages import IMPRECISE_SHOWN, PAIRS_SHOWN
from kafo.geo.models import AdminUnit
from kafo.response.models import Activity


def _counted(analysis: registry.Analysis, answer: dict, calls: list) -> registry.Analysis:
    def compute(options, sole_user):
        calls.append(1)
        return answer

    return dataclasses.replace(analysis, compute=compute)


def test_the_duplications_page_reads_the_head_of_the_pairs(cached, user_with_role):
    pairs = [{"records": [f"A{n}", f"B{n}"], "organisation": "HI"} for n in range(1000)]
    calls: list = []
    duplicates = _counted(registry.ANALYSES["duplicates"],
                          {"clusters": [], "double_reporting": pairs}, calls)  # fmt: skip
    viewer = user_with_role(Role.PARTNER_VIEWER)
    options = duplicates.read({})
    page, computed_at = duplicates.run_for_page(options, viewer)
    assert page["double_reporting"] == pairs[:PAIRS_SHOWN] and computed_at is None
    assert page["double_reporting_count"] == 1000
    assert duplicates.run(options, viewer)["double_reporting"] == pairs  # the API's: whole
    assert duplicates.run_for_page(options, viewer)[0] == page
    assert len(calls) == 1  # the engine ran once for both


def test_the_gaps_page_reads_the_head_of_the_imprecise(cached, user_with_role):
    imprecise = [{"id": n, "source_id": f"S{n}", "organisation": "HI", "pcodes": ["ML05"]}
                 for n in range(500)]  # fmt: skip
    calls: list = []
    gaps = _counted(registry.ANALYSES["gaps"], {"units": [], "imprecise": imprecise}, calls)
    viewer = user_with_role(Role.DONOR_VIEWER)
    options = gaps.read({"level": "3"})
    page, _at = gaps.run_for_page(options, viewer)
    assert page["imprecise"] == imprecise[:IMPRECISE_SHOWN]
    assert page["imprecise_count"] == 500
    assert gaps.run(options, viewer)["imprecise"] == imprecise


def _one_organisation_twenty_five_times(client, user_with_role) -> None:
    """25 overlapping records of one organisation in one unit (300 pairs), and one of its
    readers logged in."""
    hi = Organisation.objects.create(name="Humanité & Inclusion", acronym="HI")
    mopti = AdminUnit.objects.get(pcode="ML0501")
    made = Activity.objects.bulk_create(
        Activity(organisation=hi, title=f"EER {n}", sector="PRO-MIN", activity_type="EORE",
                 planned_start=datetime.date(2025, 1, 1), planned_end=datetime.date(2025, 6, 30),
                 source_id=f"EER-{n:02d}")
        for n in range(25)
    )  # fmt: skip
    Activity.locations.through.objects.bulk_create(
        Activity.locations.through(activity_id=a.pk, adminunit_id=mopti.pk) for a in made
    )
    client.force_login(user_with_role(Role.PARTNER_VIEWER, hi))


def test_the_page_says_how_many_pairs_there_are(cached, demo_geography, client,
                                                user_with_role):  # fmt: skip
    _one_organisation_twenty_five_times(client, user_with_role)
    page = client.get(reverse("duplicates")).content.decode()
    pairs = 25 * 24 // 2
    assert f"Les {PAIRS_SHOWN} premières paires sur {pairs} sont listées ici" in page
    assert page.count(" / EER-") == PAIRS_SHOWN  # each pair: "organisation · A / B"


def test_the_engine_lists_the_first_pairs_and_counts_them_all(
    cached, demo_geography, client, user_with_role, monkeypatch
):
    from kafo.analysis import duplicates

    monkeypatch.setattr(duplicates, "DOUBLE_REPORTING_KEPT", 250)
    _one_organisation_twenty_five_times(client, user_with_role)
    api = client.get("/api/v1/analysis/duplicates/").json()
    assert api["double_reporting_count"] == 300 and len(api["double_reporting"]) == 250
    page = client.get(reverse("duplicates")).content.decode()
    assert f"Les {PAIRS_SHOWN} premières paires sur 300 sont listées ici" in page
    assert "listent les 250 premières" in page


def test_the_workers_keep_the_pages_share_too(cached, demo_geography):
    from django.core.cache import cache

    from kafo.coordination.cache import answer_key, data_version
    from kafo.coordination.tasks import refresh_analysis, warm_analyses

    duplicates = registry.ANALYSES["duplicates"]
    options = duplicates.read({})
    warm_analyses.call()
    assert cache.get(answer_key("duplicates:page", options, data_version())) is not None
    Organisation.objects.create(name="Autre", acronym="AU")  # the data changes
    json_options = registry._json_options(options)
    version = refresh_analysis.call("duplicates", json_options, "fr")
    assert cache.get(answer_key("duplicates", json_options, version)) is not None
    kept = cache.get(answer_key("duplicates:page", json_options, version))
    assert kept is not None and kept["double_reporting_count"] == 0
