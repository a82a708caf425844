"""OTHER ("another activity of the sector") means nothing of its own: two OTHER records
overlap only within one sector (surgery, schooling and food in one cercle are not one
activity), while two OTHER records of one sector still do."""

import datetime

from kafo.analysis.duplicates import duplicates
from tests.analysis.test_duplicates import planted_connection

PERIOD = (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))


def _connection(records):
    planted = [(i, org, "OTHER", PERIOD, [], ["ML0101"], []) for i, org, _sector in records]
    return planted_connection(planted, {i: sector for i, _org, sector in records})


def test_other_of_different_sectors_is_no_duplicate():
    result = duplicates(_connection([(1, "MSF", "HEA"), (2, "NRC", "EDU"), (3, "WFP", "FSC")]))
    assert result["clusters"] == []


def test_other_of_one_sector_still_overlaps():
    result = duplicates(_connection([(1, "MSF", "HEA"), (2, "ALIMA", "HEA"), (3, "NRC", "EDU")]))
    assert [c["ids"] for c in result["clusters"]] == [[1, 2]]
