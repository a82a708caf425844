import pytest

from tests.intake.odk_server import OdkServer

USER_ENV, PASSWORD_ENV = "KAFO_TEST_ODK_USER", "KAFO_TEST_ODK_PASSWORD"


@pytest.fixture
def odk():
    """A local server answering as ODK Central does."""
    server = OdkServer()
    yield server
    server.close()


@pytest.fixture
def odk_source(odk, organisation, monkeypatch, settings, tmp_path):
    """An ODK Central source of HI (its credentials in the environment), making sources
    of one kind or another: `odk_source(kind, form_id)`."""
    from kafo.intake.models import IntakeSource

    settings.DATA_DIR = tmp_path
    monkeypatch.setenv(USER_ENV, odk.email)
    monkeypatch.setenv(PASSWORD_ENV, odk.password)

    def make(kind: str, form_id: str, name: str) -> IntakeSource:
        return IntakeSource.objects.create(
            name=name, platform="odk", url=odk.url, project_id=odk.project, form_id=form_id,
            user_env=USER_ENV, password_env=PASSWORD_ENV, organisation=organisation("HI"),
            kind=kind,
        )  # fmt: skip

    return make
