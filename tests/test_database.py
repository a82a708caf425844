import os

import pytest
from django.db import connection

from kafo.geo.models import CodVersion


@pytest.mark.django_db
def test_the_configured_database_is_the_one_in_use():
    url = os.environ.get("KAFO_DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    CodVersion.objects.create(country="MLI", name="x")
    assert CodVersion.objects.count() == 1


@pytest.mark.django_db
def test_only_one_version_is_active_per_country():
    from django.db import IntegrityError, transaction

    CodVersion.objects.create(country="MLI", name="2015", is_active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        CodVersion.objects.create(country="MLI", name="2021", is_active=True)
    CodVersion.objects.create(country="NER", name="2021", is_active=True)
    second = CodVersion.objects.create(country="MLI", name="2021")
    second.activate()
    assert list(CodVersion.objects.filter(country="MLI", is_active=True)) == [second]
