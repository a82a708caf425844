"""Numbers read by each column's own convention: "250.000" and "1,234" are what the file
says they are, or the column is refused with the reason; never silently 250 or 1.23."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kafo.interop.activities import import_activities
from kafo.interop.numbers import NumberFormat, column_format, read_number
from kafo.response.models import Activity

HEADER = "#org+impl,#sector,#meta+id,#adm1+name,#value,#currency,#reached+f+children\n"


@pytest.fixture
def five_w(tmp_path, demo_geography, organisation):
    organisation("HI", name="Humanité & Inclusion")

    def write(*rows: str):
        path = tmp_path / "5w.csv"
        path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
        return path

    return write


def _budgets():
    return {a.source_id: a.budget for a in Activity.objects.all()}


def test_a_french_column_reads_thousands_and_decimals(five_w):
    batch = import_activities(five_w('HI,PRO,A,Mopti,250.000,EUR,',
                                     'HI,PRO,B,Mopti,"1.500,50",EUR,',
                                     'HI,PRO,C,Mopti,"1\u202f234\u00a0567,50",FCFA,'))  # fmt: skip
    assert batch.status == "imported", batch.report()
    assert _budgets() == {"A": Decimal(250000), "B": Decimal("1500.50"),
                          "C": Decimal("1234567.50")}  # fmt: skip
    assert Activity.objects.get(source_id="C").currency == "XOF"


def test_an_english_column_reads_thousands_and_decimals(five_w):
    batch = import_activities(five_w('HI,PRO,A,Mopti,"1,234",USD,', "HI,PRO,B,Mopti,12.5,USD,"))
    assert batch.status == "imported", batch.report()
    assert _budgets() == {"A": Decimal(1234), "B": Decimal("12.5")}


def test_an_ambiguous_column_is_refused_with_the_reason(five_w):
    batch = import_activities(five_w("HI,PRO,A,Mopti,250.000,EUR,", "HI,PRO,B,Mopti,1200,EUR,"))
    assert batch.status == "rejected" and not Activity.objects.exists()
    errors = batch.report()["errors"]  # the whole column is refused: each row says why
    assert [e["value"] for e in errors] == ["250.000", "1200"]
    assert all("« 250.000 »" in e["reason"] and "milliers" in e["reason"] for e in errors)


def test_a_column_that_contradicts_itself_is_refused(five_w):
    batch = import_activities(five_w('HI,PRO,A,Mopti,"1,5",EUR,', 'HI,PRO,B,Mopti,"1,234.5",EUR,'))
    assert batch.status == "rejected"
    assert "une seule façon" in batch.report()["errors"][0]["reason"]


def test_people_counts_group_thousands(five_w):
    batch = import_activities(five_w('HI,PRO,A,Mopti,,,"1,234"', 'HI,PRO,B,Mopti,,,"2 000"'))
    assert batch.status == "imported", batch.report()
    assert {a.source_id: a.reached_girls for a in Activity.objects.all()} == {"A": 1234, "B": 2000}


@pytest.mark.parametrize("currency", ["FCF", "dollars", "€"])
def test_an_unknown_currency_is_refused_not_cut(five_w, currency):
    batch = import_activities(five_w(f"HI,PRO,A,Mopti,100,{currency},"))
    assert batch.status == "rejected"
    assert "ISO 4217" in batch.report()["errors"][0]["reason"]


@pytest.mark.parametrize("value", ["Infinity", "NaN", "1e400", "-5", "123456789012345678"])
def test_a_budget_must_be_a_finite_amount_that_fits(five_w, value):
    batch = import_activities(five_w(f"HI,PRO,A,Mopti,{value},USD,"))
    assert batch.status == "rejected" and not Activity.objects.exists()


CONVENTIONS = [NumberFormat(",", "."), NumberFormat(",", "\u202f"), NumberFormat(".", ",")]


def _write(number: Decimal, convention: NumberFormat) -> str:
    whole, _dot, fraction = f"{number:.2f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    return convention.thousands.join([whole, *groups]) + convention.decimal + fraction


@given(
    st.lists(st.decimals(min_value=0, max_value=10**12, places=2), min_size=1, max_size=20),
    st.sampled_from(CONVENTIONS),
)
def test_written_numbers_read_back_the_same(numbers, convention):
    texts = [_write(n, convention) for n in numbers]
    found, reason = column_format(texts)
    assert not reason
    assert [read_number(t, found) for t in texts] == numbers
