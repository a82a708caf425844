"""A count of people no column can hold (23 digits) refuses its row, with the reason; with
--accept-valid the other rows are imported (it aborted the whole file)."""

from kafo.interop.activities import import_activities
from kafo.response.models import Activity

HEADER = "#org+impl,#sector,#activity+name,#meta+id,#adm2+code,#reached+f+children\n"


def test_a_23_digit_count_refuses_only_its_row(tmp_path, demo_geography, organisation):
    organisation("HI", name="Humanité & Inclusion")
    path = tmp_path / "5w.csv"
    path.write_text(HEADER + "Humanité & Inclusion,HEA,Cliniques,A-1,ML0501,12\n"
                    "Humanité & Inclusion,HEA,Cliniques,A-2,ML0501,12345678901234567890123\n",
                    encoding="utf-8")  # fmt: skip
    batch = import_activities(path, accept_valid=True)
    assert (batch.status, batch.accepted, batch.rejected) == ("partial", 1, 1), batch.report()
    assert Activity.objects.get().source_id == "A-1"
    (error,) = batch.report()["errors"]
    assert error["row"] == 3 and "#reached" in error["column"]
