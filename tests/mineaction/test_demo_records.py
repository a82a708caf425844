"""The demo's mine action records follow the public figures they are shaped on."""

from collections import Counter

import pytest

from kafo.actors.demo import create_demo_actors
from kafo.mineaction import reports
from kafo.mineaction.demo import REGION_SHARES, create_demo_mine_action
from kafo.mineaction.models import Accident, FieldReport, ReportStatus, Victim


@pytest.fixture
def demo_records(demo_geography):
    create_demo_actors()
    return create_demo_mine_action()


def test_2021_has_245_incidents_and_400_civilian_casualties(demo_records):
    assert Accident.objects.filter(date__year=2021).count() == 245
    assert Victim.objects.filter(accident__date__year=2021, status="civilian").count() == 400


def test_incidents_follow_the_regional_shares_and_improvised_devices_dominate(demo_records):
    regions = Counter(
        pcode[:4]
        for pcode in Accident.objects.filter(date__year=2021).values_list(
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
