"""The demo's mine action records follow the public figures they are shaped on."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from kafo.actors.demo import create_demo_actors
from kafo.mineaction import reports
from kafo.mineaction.demo import REGION_SHARES, SERIES_END, create_demo_mine_action, demo_date
from kafo.mineaction.models import Accident, FieldReport, ReportStatus, Victim


@pytest.fixture
def demo_records(demo_geography):
    create_demo_actors()
    return create_demo_mine_action()


def _series_year(year: int) -> dict:
    """The demo's dates of a year of the public series (moved to end yesterday)."""
    start, end = demo_date(datetime.date(year, 1, 1)), demo_date(datetime.date(year, 12, 31))
    return {"date__gte": start, "date__lte": end}


def test_2021_has_245_incidents_and_400_civilian_casualties(demo_records):
    assert Accident.objects.filter(**_series_year(2021)).count() == 245
    in_2021 = {f"accident__{key}": value for key, value in _series_year(2021).items()}
    assert Victim.objects.filter(**in_2021, status="civilian").count() == 400


def test_the_series_ends_yesterday_so_the_last_12_months_have_accidents(demo_records):
    today = timezone.localdate()
    assert demo_date(SERIES_END) == today - datetime.timedelta(days=1)
    last_year = Accident.objects.filter(date__gt=today - datetime.timedelta(days=365))
    assert last_year.count() == 160  # the series' last year (2024: 160 incidents)
    assert not Accident.objects.filter(date__gte=today).exists()
    assert not FieldReport.objects.filter(date_of_information__gt=today).exists()


def test_incidents_follow_the_regional_shares_and_improvised_devices_dominate(demo_records):
    regions = Counter(
        pcode[:4]
        for pcode in Accident.objects.filter(**_series_year(2021)).values_list(
            "admin_unit__pcode", flat=True
        )
    )
    for pcode, share in REGION_SHARES.items():
        assert abs(regions[pcode] / 245 - share) < 0.02, pcode
    devices = Counter(Accident.objects.values_list("device_category", flat=True))
    assert devices.most_common(1)[0][0] == "improvised_mine"


def test_each_record_is_the_fold_of_its_validated_reports(demo_records):
    for accident in Accident.objects.order_by("?")[:20]:
        values = reports.current_values(reports.kind_of("accident"), accident.reference)
        assert (
            values["longitude"] == accident.longitude
            and values["date"] == accident.date.isoformat()
        )
    assert FieldReport.objects.exclude(status=ReportStatus.VALIDATED).count() == 9


def test_running_it_twice_adds_nothing(demo_records):
    assert create_demo_mine_action() == demo_records


def test_every_kind_of_record_is_in_the_demo_and_areas_add_up(demo_records):
    from kafo.mineaction.kinds import KINDS, released_on
    from kafo.mineaction.models import Hazard

    for kind in KINDS.values():
        assert kind.model.objects.exists(), kind.code
    for hazard in Hazard.objects.all():
        expected = max(0.0, hazard.estimated_area_m2 - released_on(hazard))
        assert hazard.remaining_area_m2 == pytest.approx(expected)
        assert hazard.admin_unit is not None
