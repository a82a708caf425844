import functools
import gc
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kafo.actors.models import Membership, Organisation, OrganisationType, Role


def pytest_configure(config):
    from django.conf import settings

    # The live server's request threads must not keep connections to the test database
    # open, or PostgreSQL refuses to drop it at the end.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
COD_AB_2015 = SHARED_DATA / "mali-cod-ab-2015"


def shared_data(relative: str) -> Path:
    """A real file from ../shared/data, or skip the test when the folder is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"real data {relative} not found in {SHARED_DATA} (only CI is sure to have it)")
    return path


@pytest.fixture
def organisation(db):
    def make(acronym: str = "HI", kind: str = OrganisationType.INTERNATIONAL_NGO, **fields):
        fields.setdefault("name", f"Organisation {acronym}")
        return Organisation.objects.create(acronym=acronym, type=kind, **fields)

    return make


@pytest.fixture
def user_with_role(db, organisation):
    """A user of an organisation (made if needed) with a role."""

    def make(role: str, org: Organisation | None = None, username: str | None = None):
        org = org or organisation(acronym=f"ORG{Organisation.objects.count() + 1}")
        user = get_user_model().objects.create_user(
            username=username or f"{role}-{org.acronym}".lower(), password="secret-pass-42"
        )
        Membership.objects.create(user=user, organisation=org, role=role)
        return user

    return make


@pytest.fixture
def coordinator(user_with_role, organisation):
    return user_with_role(
        Role.COORDINATOR, organisation("CNLPAL", OrganisationType.NATIONAL_AUTHORITY)
    )


@functools.cache
def _demo_boundaries():
    from kafo.geo.demo import demo_boundary_set

    return demo_boundary_set()


@pytest.fixture
def demo_geography(db):
    """The demo's approximate Mali (country, 9 regions, 50 cercles) as the active version."""
    from kafo.geo.demo import DEMO_VERSION
    from kafo.geo.importing import write_boundary_set

    boundaries, population = _demo_boundaries()
    return write_boundary_set(
        boundaries, DEMO_VERSION, is_demo=True, population=population, activate=True
    )


def rectangle(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
    }


def square(x: float, y: float, size: float) -> dict:
    return rectangle(x, y, x + size, y + size)


def write_geojson(path: Path, features: list[dict]) -> Path:
    """Write features given as {"properties": {...}, "geometry": {...}} to a GeoJSON file."""
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", **feature} for feature in features],
    }
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


@pytest.fixture
def tiny_cod(tmp_path):
    """A small, valid COD-AB in GeoJSON for the made-up country ML: 2 regions, 4 cercles."""
    folder = tmp_path / "cod"
    folder.mkdir()
    write_geojson(
        folder / "adm1.geojson",
        [
            {"properties": {"ADM1_PCODE": "ML01", "ADM1_FR": "Ouest", "ADM1_EN": "West"},
             "geometry": square(0, 0, 2)},
            {"properties": {"ADM1_PCODE": "ML02", "ADM1_FR": "Est", "ADM1_EN": "East"},
             "geometry": square(2, 0, 2)},
        ],
    )  # fmt: skip
    cercles = []
    for region, x0 in (("ML01", 0), ("ML02", 2)):
        for i, y0 in enumerate((0, 1), start=1):  # two 2×1 cercles stacked in each region
            cercles.append(
                {
                    "properties": {
                        "ADM1_PCODE": region,
                        "ADM2_PCODE": f"{region}0{i}",
                        "ADM2_FR": f"Cercle {region}-{i}",
                    },
                    "geometry": rectangle(x0, y0, x0 + 2, y0 + 1),
                }
            )
    write_geojson(folder / "adm2.geojson", cercles)
    return folder


@pytest.fixture(autouse=True)
def _allow_sync_database_in_browser_tests(request, monkeypatch):
    # Playwright's sync API runs an event loop; Django then refuses ORM calls in that thread.
    if request.node.get_closest_marker("browser"):
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        # The test database is SQLite in memory, shared by the live server's threads: a
        # page's parallel map requests would each write the session and meet "table is
        # locked" (a file database waits instead). Only what changes is written here.
        settings = request.getfixturevalue("settings")
        settings.SESSION_SAVE_EVERY_REQUEST = False


@pytest.fixture(autouse=True)
def _collector_left_on():
    # Imports and analyses pause Python's cycle collector; a test that leaves it paused
    # would change what the tests after it in the same worker see.
    yield
    if not gc.isenabled():
        gc.enable()
        pytest.fail("the test left Python's cycle collector paused")


@pytest.fixture(scope="session")
def _upload_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture(autouse=True)
def _no_heavy_limit(settings):
    # The per-user limit of analyses has its own test; others ask as often as they need.
    settings.KAFO_HEAVY_PER_MINUTE = 1_000_000


IMMEDIATE_TASKS = {"default": {
    "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    "QUEUES": ["default", "imports", "plans", "messages", "periodic", "exports"],
}}  # fmt: skip


@pytest.fixture(autouse=True)
def _analyses_computed_each_time(settings):
    # On PostgreSQL the data version moves at commit, and a test's transaction never
    # commits: the cache's own tests commit (tests/coordination/test_analysis_cache.py).
    settings.KAFO_ANALYSIS_CACHE = False


@pytest.fixture(autouse=True)
def _tasks_in_the_request(settings, _upload_dir, tmp_path):
    # Tasks run in the request that starts them (a worker would use another connection,
    # outside the test's transaction); tests of the worker put the database backend back.
    settings.TASKS = IMMEDIATE_TASKS
    settings.KAFO_UPLOAD_DIR = _upload_dir
    settings.KAFO_EXPORT_DIR = tmp_path / "exports"


@pytest.fixture
def english():
    """Messages in English, for tests that compare them word for word."""
    from django.utils import translation

    with translation.override("en"):
        yield


class SecondFactorClient(Client):
    """A test client whose `force_login` also passes the TOTP step when the user has or
    needs a device, as a person would after typing the code. Tests of the second
    factor itself use `plain_client`."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        self._pass_second_factor(user)

    def login(self, **credentials):
        from django.contrib.auth import get_user_model

        logged_in = super().login(**credentials)
        if logged_in:
            self._pass_second_factor(get_user_model().objects.get(pk=self.session["_auth_user_id"]))
        return logged_in

    def _pass_second_factor(self, user):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from kafo.security.accounts import second_factor_required

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None and second_factor_required(user):
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client():
    return SecondFactorClient()


@pytest.fixture
def plain_client():
    """Django's test client, with no help past the second factor."""
    return Client()


# Valid values for a new record of each kind (links are filled by the factory).
RECORD_DEFAULTS = {
    "hazard": {
        "classification": "sha", "status": "open", "evidence_type": "indirect",
        "evidence": ["combat_zone"], "contamination": ["improvised_mine"],
        "geometry": json.dumps(square(-4.25, 14.45, 0.01)), "women": 10, "men": 12,
    },
    "activity": {"type": "nts", "status": "completed", "start_date": "2024-02-01",
                 "end_date": "2024-02-10", "area_cancelled_m2": 50_000},
    "device": {"category": "improvised_mine", "quantity": 2, "condition": "armed",
               "destruction_method": "in_situ"},
    "accident": {"date": "2024-05-01", "longitude": -4.2, "latitude": 14.5,
                 "device_category": "improvised_mine", "accident_type": "civilian",
                 "activity_at_time": "travelling_vehicle", "area_marked": "no"},
    "victim": {"outcome": "injured", "sex": "female", "age": 34, "status": "civilian",
               "disability_outcome": "unknown", "displacement": "resident",
               "risk_education_before": "no"},
    "eore": {"date": "2024-03-01", "admin_unit": "ML0501", "method": "direct", "language": "ff",
             "girls_5_12": 20, "boys_5_12": 25, "women": 30, "men": 15},
    "assistance": {"service": "rehabilitation", "date": "2024-06-01",
                   "referral_status": "received"},
    "quality": {"date": "2024-02-05",
                "non_conformities": "major ; marquage absent ; poser le marquage"},
}  # fmt: skip


@pytest.fixture
def mine_action(db, demo_geography, coordinator):
    """Makes validated records the way users do: a field report through its form,
    verified by its organisation, accepted and validated by the coordinator."""
    import datetime

    from kafo.mineaction import reports

    class Factory:
        def report(self, kind, user, values, record_reference="", validate=True):
            record_kind = reports.kind_of(kind)
            form = record_kind.form(data=values, correction=bool(record_reference))
            assert form.is_valid(), form.errors.as_json()
            report = reports.submit(
                record_kind, form, user=user, organisation=user.membership.organisation,
                date_of_information=values.get("date_of_information", datetime.date(2024, 5, 2)),
                source="test", record_reference=record_reference,
            )  # fmt: skip
            if validate:
                reports.verify(report, user)
                reports.accept(report, coordinator)
                reports.validate(report, coordinator)
            return report

        def record(self, kind, user, **values):
            report = self.report(kind, user, {**RECORD_DEFAULTS[kind], **values})
            return reports.kind_of(kind).model.objects.get(reference=report.record_reference)

        def hazard(self, user, **values):
            return self.record("hazard", user, **values)

        def activity(self, user, hazard, **values):
            return self.record("activity", user, hazard=hazard.reference, **values)

        def device(self, user, activity, **values):
            return self.record("device", user, activity=activity.reference, **values)

        def accident(self, user, **values):
            return self.record("accident", user, **values)

        def victim(self, user, accident, **values):
            return self.record("victim", user, accident=accident.reference, **values)

        def eore(self, user, **values):
            return self.record("eore", user, **values)

        def assistance(self, user, victim, **values):
            return self.record("assistance", user, victim=victim.reference, **values)

        def quality(self, user, activity, **values):
            values.setdefault("inspected_organisation", activity.organisation_id)
            return self.record("quality", user, activity=activity.reference, **values)

    return Factory()


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The whole demo, loaded once for a module's tests that only read it."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("demo")
        yield
        call_command("flush", interactive=False)


@pytest.fixture(scope="session")
def end_live_server_sessions(django_db_setup, django_db_blocker):
    """At the end of the run, end the database sessions the live server's threads kept.

    pytest-django's live server lives for the whole session and its threads can keep a
    session on the test database, which PostgreSQL then refuses to drop. This runs just
    before the test database is dropped, when no test needs a connection any more.
    """
    yield
    from django.db import connection, connections

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        connections.close_all()
