"""The analyses are computed once per change of the data: the data version moves on every
write path (ORM, bulk, update, delete, raw SQL, the admin, an import, a migration), and
an answer is kept under the version read before it was computed. The disclosure layer
still applies to each reader.

These tests commit (transactional_db): on PostgreSQL the version moves at commit."""

import dataclasses
import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from kafo.actors.models import Organisation, Role
from kafo.coordination import registry
from kafo.coordination.cache import cached_answer, data_version, domain_tables
from kafo.response.models import Activity


@pytest.fixture
def hi(cached):
    return Organisation.objects.create(name="Humanité & Inclusion", acronym="HI")


def _activity(organisation, title="Sensibilisation") -> Activity:
    return Activity.objects.create(title=title, organisation=organisation, sector="PRO-MIN")


def moves(write) -> bool:
    before = data_version()
    write()
    return data_version() > before


def test_every_domain_table_has_its_trigger(cached):
    assert "response_activity" in domain_tables() and "geo_adminunit" in domain_tables()
    assert "django_session" not in domain_tables() and "kafo_cache" not in domain_tables()


def test_orm_writes_move_the_version(hi):
    assert moves(lambda: _activity(hi))
    activity = Activity.objects.get()
    activity.title = "Autre"
    assert moves(activity.save)
    assert moves(activity.delete)


def test_bulk_update_and_raw_sql_move_the_version(hi):
    assert moves(
        lambda: Activity.objects.bulk_create(
            [Activity(title=f"A{n}", organisation=hi, sector="PRO-MIN") for n in range(3)]
        )
    )
    assert moves(lambda: Activity.objects.update(title="B"))
    assert moves(lambda: Activity.objects.filter(title="B").delete())

    def raw():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE actors_organisation SET name = 'HI' WHERE acronym = 'HI'")

    assert moves(raw)


def test_a_write_outside_the_domains_does_not_move_it(hi, django_user_model, user_with_role):
    assert not moves(lambda: django_user_model.objects.create(username="someone"))
    assert not moves(lambda: user_with_role(Role.PARTNER_VIEWER, hi))  # a membership


def test_the_admin_moves_the_version(hi, client, user_with_role):
    coordinator = user_with_role(Role.COORDINATOR)
    coordinator.is_staff = coordinator.is_superuser = True
    coordinator.save()
    client.force_login(coordinator)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=coordinator, name="t", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    url = reverse("admin:actors_organisation_delete", args=[hi.pk])
    assert client.get(url).status_code == 200

    def change():
        client.post(url, {"post": "yes"})
        assert not Organisation.objects.filter(pk=hi.pk).exists()

    assert moves(change)


def test_an_import_moves_the_version(hi, demo_geography, tmp_path):
    path = tmp_path / "5w.csv"
    path.write_text("#org+impl,#sector,#meta+id,#adm2+code\nHI,PRO,A,ML0501\n")
    assert moves(lambda: call_command("import_hxl", str(path), "--kind", "activities"))


def test_a_migration_installs_the_triggers_again_and_moves_it(hi):
    assert moves(lambda: call_command("migrate", verbosity=0))
    assert moves(lambda: _activity(hi))


def test_an_answer_is_computed_once_per_version(hi):
    calls = []

    def compute():
        calls.append(1)
        return {"count": Activity.objects.count()}

    options = {"level": 2}
    assert cached_answer("gaps", options, compute) == ({"count": 0}, None)
    assert cached_answer("gaps", options, compute) == ({"count": 0}, None)
    assert len(calls) == 1
    _activity(hi)
    assert cached_answer("gaps", options, compute) == ({"count": 1}, None)  # never the old
    assert len(calls) == 2
    assert cached_answer("gaps", {"level": 3}, compute) == ({"count": 1}, None)
    assert len(calls) == 3  # other options, another answer


def test_a_page_gets_the_older_answer_said_so_while_a_task_computes(hi):
    calls, refreshes = [], []

    def compute():
        calls.append(1)
        return {"count": Activity.objects.count()}

    assert cached_answer("gaps", {}, compute, refresh=lambda: refreshes.append(1)) == (
        {"count": 0},
        None,
    )  # nothing kept yet: computed now
    _activity(hi)
    answer, computed_at = cached_answer("gaps", {}, compute, refresh=lambda: refreshes.append(1))
    assert answer == {"count": 0} and computed_at is not None  # older, and said so
    cached_answer("gaps", {}, compute, refresh=lambda: refreshes.append(1))
    assert len(calls) == 1 and len(refreshes) == 1  # one refresh per version
    # What is not a page (the API, the command line) always gets the data as it is.
    assert cached_answer("gaps", {}, compute) == ({"count": 1}, None)
    assert cached_answer("gaps", {}, compute, refresh=lambda: refreshes.append(1)) == (
        {"count": 1},
        None,
    )


def test_the_language_is_part_of_the_key(hi):
    from django.utils import translation

    calls = []
    for language in ("fr", "en", "fr"):
        with translation.override(language):
            cached_answer("gaps", {}, lambda: calls.append(1) or {})
    assert len(calls) == 2


def test_the_refresh_task_keeps_the_answer_where_the_page_looks(
    hi, demo_geography, user_with_role, client
):
    from kafo.coordination.tasks import refresh_analysis

    client.force_login(user_with_role(Role.PARTNER_VIEWER, hi))
    url = reverse("gaps") + "?level=2&start=2026-01-01&threshold=0.4"
    assert "Les données ont changé" not in client.get(url).content.decode()
    _activity(hi)
    page = client.get(url).content.decode()  # tasks run in the request here: refreshed
    assert "Les données ont changé" in page  # this answer is the older one, said so
    assert "Les données ont changé" not in client.get(url).content.decode()
    options = registry.ANALYSES["gaps"].read({"level": "2", "start": "2026-01-01",
                                              "threshold": "0.4"})  # fmt: skip
    assert refresh_analysis.call("gaps", registry._json_options(options), "fr") == data_version()


def test_without_the_setting_nothing_is_kept(hi, settings):
    settings.KAFO_ANALYSIS_CACHE = False
    calls = []
    for _ in range(2):
        cached_answer("gaps", {}, lambda: calls.append(1) or {})
    assert len(calls) == 2


def test_each_reader_gets_the_cached_answer_as_they_may_read_it(hi, user_with_role,
                                                                monkeypatch):  # fmt: skip
    answer = {"units": [{"pcode": "ML0501", "mine_action": {"casualties_12_months": 3}}]}
    gaps = dataclasses.replace(registry.ANALYSES["gaps"],
                               compute=lambda options, sole_user: answer)  # fmt: skip
    coordinator = user_with_role(Role.COORDINATOR)
    donor = user_with_role(Role.DONOR_VIEWER)

    def casualties(viewer):
        return gaps.run({"level": 2}, viewer)["units"][0]["mine_action"]["casualties_12_months"]

    assert casualties(coordinator) == 3
    assert casualties(donor) == "<5"  # the cached answer, disclosed for the donor
    assert casualties(coordinator) == 3


def test_the_page_computes_once_per_change(hi, client, user_with_role, demo_geography,
                                            monkeypatch):  # fmt: skip
    real = registry.ANALYSES["gaps"]
    calls = []

    def counted(options, sole_user):
        calls.append(1)
        return real.compute(options, sole_user)

    monkeypatch.setitem(registry.ANALYSES, "gaps", dataclasses.replace(real, compute=counted))
    client.force_login(user_with_role(Role.PARTNER_VIEWER, hi))
    url = reverse("gaps") + "?level=2"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert len(calls) == 1
    version = data_version()
    Activity.objects.create(title="EORE", organisation=hi, sector="PRO-MIN",
                            planned_start=datetime.date(2026, 1, 1))  # fmt: skip
    assert data_version() > version
    assert client.get(url).status_code == 200
    assert len(calls) == 2


def test_the_analyses_are_warmed_after_a_change(hi, client, user_with_role, demo_geography,
                                                monkeypatch):  # fmt: skip
    from kafo.coordination.tasks import warm_analyses

    reader = user_with_role(Role.PARTNER_VIEWER, hi)
    done = warm_analyses.call()
    assert set(done) == set(registry.ANALYSES) and done["gaps"] == "computed"
    assert warm_analyses.call() == {}  # nothing changed: nothing to do
    real = registry.ANALYSES["gaps"]
    calls = []
    monkeypatch.setitem(
        registry.ANALYSES,
        "gaps",
        dataclasses.replace(
            real,
            compute=lambda options, sole_user: calls.append(1) or real.compute(options, sole_user),
        ),
    )
    client.force_login(reader)
    assert client.get(reverse("gaps")).status_code == 200
    assert calls == []  # the page opened from the menu found it ready
    _activity(hi)
    assert warm_analyses.call()["gaps"] == "computed" and calls == [1]
