"""Property: any 5W a partner may write (names with accents and commas, long titles,
amounts in the French, English or plain convention, dates as ISO or day-first, people by
sex and age or as totals) imports whole, and Kafo's export, read by libhxl, gives back the
same values."""

import datetime
from decimal import Decimal

import hxl
import pytest
from django.core.management import call_command
from hxl.input import InputOptions
from hypothesis import given
from hypothesis import strategies as st

from kafo.interop.activities import import_activities
from kafo.interop.models import ImportBatch
from kafo.response.catalogue import MINE_ACTION_TYPES, Sector
from kafo.response.models import Activity, ActivityStatus
from tests.fidelity.generated import GENERATED_FILES

ORGANISATIONS = {"HI": "Humanité & Inclusion", "DRC": "Danish Refugee Council",
                 "AMSS": "Association malienne pour la survie au Sahel"}  # fmt: skip
CERCLES = ["ML0101", "ML0203", "ML0501", "ML0504", "ML0601", "ML0701", "ML0801"]
PEOPLE = ["#reached+f+children", "#reached+m+children", "#reached+f+adults",
          "#reached+m+adults"]  # fmt: skip
HEADER = ["#meta+id", "#org+impl", "#activity+name", "#sector", "#activity+type", "#status",
          "#date+start", "#date+end", "#value", "#currency", "#adm2+code", *PEOPLE,
          "#reached"]  # fmt: skip
NBSP, NARROW = "\u00a0", "\u202f"

words = (
    st.text(
        alphabet=st.sampled_from("abcdeéèêàçôîùïABCDÉÈÇ -'’,;.()/&\"0123456789"),
        min_size=1,
        max_size=400,
    )
    .map(lambda text: " ".join(text.split()))
    .filter(lambda text: text and text[0] not in "#=+-@")
)
dates = st.dates(datetime.date(2010, 1, 1), datetime.date(2035, 12, 31))
amounts = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2,
                      allow_nan=False, allow_infinity=False)  # fmt: skip


@st.composite
def activity(draw, number: int) -> dict:
    sector = draw(st.sampled_from([s for s in Sector.values if s != Sector.UNMAPPED]))
    start = draw(dates)
    people = draw(st.lists(st.integers(0, 500_000), min_size=4, max_size=4))
    return {
        "id": f"P-{number}",
        "org": draw(st.sampled_from(sorted(ORGANISATIONS.values()))),
        "title": draw(words),
        "sector": sector,
        "type": draw(st.sampled_from(sorted(MINE_ACTION_TYPES)))
        if sector == Sector.MINE_ACTION else "",
        "status": draw(st.sampled_from(ActivityStatus.values)),
        "start": start,
        "end": start + datetime.timedelta(days=draw(st.integers(0, 2000))),
        "budget": draw(amounts),
        "currency": draw(st.sampled_from(["XOF", "EUR", "USD", "FCFA"])),
        "pcode": draw(st.sampled_from(CERCLES)),
        "people": people,
        # The file's total: its parts, and maybe people of unknown sex and age.
        "total": sum(people) + draw(st.integers(0, 1000)),
    }  # fmt: skip


def _amount(value: Decimal, convention: str) -> str:
    plain = f"{value:.2f}"
    whole, cents = plain.split(".")
    groups = f"{int(whole):,}"
    return {
        "plain": plain,
        "english": f"{groups}.{cents}",
        "french": f"{groups.replace(',', NBSP)},{cents}",
        "french_excel": f"{groups.replace(',', NARROW)},{cents}",
    }[convention]


def _date(value: datetime.date, convention: str) -> str:
    return value.isoformat() if convention == "iso" else value.strftime("%d/%m/%Y")


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _write(path, rows: list[dict], amounts: str, days: str) -> None:
    lines = [",".join(_csv_cell(h) for h in HEADER)]
    for row in rows:
        cells = [row["id"], row["org"], row["title"], row["sector"], row["type"], row["status"],
                 _date(row["start"], days), _date(row["end"], days),
                 _amount(row["budget"], amounts), row["currency"], row["pcode"],
                 *map(str, row["people"]), str(row["total"])]  # fmt: skip
        lines.append(",".join(_csv_cell(c) for c in cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _exported(tmp_path) -> dict[str, dict]:
    out = tmp_path / "export.csv"
    call_command("export_hxl", "activities", "-o", str(out), "--audience", "national")
    rows = {}
    for row in hxl.data(str(out), InputOptions(allow_local=True)):
        values = {str(c.display_tag): v for c, v in zip(row.columns, row.values, strict=True)}
        rows[values["#meta+id"]] = values
    return rows


@pytest.fixture
def partners(demo_geography, organisation):
    for acronym, name in ORGANISATIONS.items():
        organisation(acronym, name=name)


@pytest.mark.django_db
@GENERATED_FILES
@given(
    rows=st.integers(1, 5).flatmap(
        lambda n: st.tuples(*(activity(number) for number in range(n)))
    ),
    amounts=st.sampled_from(["plain", "english", "french", "french_excel"]),
    days=st.sampled_from(["iso", "day_first"]),
)  # fmt: skip
def test_a_generated_5w_comes_back_with_the_same_values(tmp_path, partners, rows, amounts,
                                                        days):  # fmt: skip
    Activity.objects.all().delete()
    ImportBatch.objects.all().delete()
    path = tmp_path / "5w.csv"
    _write(path, list(rows), amounts, days)
    batch = import_activities(path)
    assert (batch.status, batch.created, batch.dropped) == ("imported", len(rows), 0), (
        batch.report()
    )
    exported = _exported(tmp_path)
    for row in rows:
        out = exported[row["id"]]
        assert out["#org+impl+name"] == row["org"]
        assert out["#activity+name"] == row["title"]
        assert out["#sector+code"] == row["sector"]
        assert out["#activity+type+code"] == row["type"]
        assert out["#status"] == row["status"]
        assert out["#date+start+planned"] == row["start"].isoformat()
        assert out["#date+end+planned"] == row["end"].isoformat()
        assert Decimal(out["#value+budget"]) == row["budget"]
        assert out["#currency"] == {"FCFA": "XOF"}.get(row["currency"], row["currency"])
        assert out["#adm2+code"] == row["pcode"] and out["#adm1+code"] == row["pcode"][:4]
        for tag, count in zip(PEOPLE, row["people"], strict=True):
            assert int(out[tag]) == count, tag
        assert int(out["#reached+x_unknown"]) == row["total"] - sum(row["people"])
