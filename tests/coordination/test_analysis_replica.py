"""The analyses can read a PostgreSQL read replica (KAFO_ANALYSIS_DATABASE_URL) instead
of the primary; without it they read Django's own database."""

from kafo.coordination.source import postgresql_url


def test_the_replica_is_read_when_named(settings):
    settings.KAFO_ANALYSIS_DATABASE_URL = "postgres://reader:secret@replica.local:5433/kafo"
    assert postgresql_url() == "postgresql://reader:secret@replica.local:5433/kafo"


def test_without_it_the_analyses_read_django_s_database(settings, db):
    from django.db import connection

    settings.KAFO_ANALYSIS_DATABASE_URL = ""
    assert postgresql_url().endswith("/" + str(connection.settings_dict["NAME"]))
