"""Two rows with the same identifier (or the same values, without one) in one file are
not merged silently: the second is refused, naming the first row."""

from kafo.interop.activities import import_activities
from kafo.interop.records import import_incidents
from kafo.response.models import Activity

HEADER = "#org+impl,#sector,#activity+name,#meta+id,#adm2+code\n"


def test_a_second_5w_row_with_the_same_identifier_is_refused(tmp_path, demo_geography,
                                                             organisation):  # fmt: skip
    organisation("HI", name="Humanité & Inclusion")
    organisation("DRC", name="Danish Refugee Council")
    path = tmp_path / "5w.csv"
    path.write_text(HEADER + "Humanité & Inclusion,HEA,Cliniques,A-1,ML0501\n"
                    "Danish Refugee Council,HEA,Cliniques,A-1,ML0501\n"  # another organisation
                    "Humanité & Inclusion,EDU,Écoles,A-1,ML0504\n", encoding="utf-8")  # fmt: skip
    batch = import_activities(path)
    assert (batch.status, batch.rejected) == ("rejected", 1) and not Activity.objects.exists()
    (error,) = batch.report()["errors"]
    assert error["row"] == 4 and "ligne 2" in error["reason"] and "A-1" in error["reason"]


def test_two_identical_rows_without_identifier_are_refused(tmp_path, demo_geography,
                                                           organisation):  # fmt: skip
    organisation("HI", name="Humanité & Inclusion")
    path = tmp_path / "5w.csv"
    row = "Humanité & Inclusion,HEA,Cliniques,,ML0501\n"
    path.write_text(HEADER + row + row, encoding="utf-8")
    batch = import_activities(path)
    assert (batch.status, batch.rejected) == ("rejected", 1)


def test_a_second_incident_row_with_the_same_identifier_is_refused(tmp_path, user_with_role,
                                                                   demo_geography):  # fmt: skip
    from kafo.actors.models import Role

    path = tmp_path / "incidents.csv"
    line = "INC-1,2024-05-0{d},-4.2,14.5,improvised_mine,civil,travelling_vehicle,non\n"
    path.write_text(
        "#event+id,#date+occurred,#geo+lon,#geo+lat,#indicator+device,#event+type,"
        "#indicator+activity,#indicator+marked\n" + line.format(d=1) + line.format(d=2),
        encoding="utf-8",
    )
    batch = import_incidents(path, user=user_with_role(Role.PARTNER_EDITOR))
    assert (batch.status, batch.rejected) == ("rejected", 1), batch.report()
