"""Exchange rates loaded from a CSV file (Kafo's layout or the IMF's that IATI tools use),
all or nothing; the transactions waiting for them are converted without re-importing."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from kafo.currencies.models import ExchangeRate
from kafo.funding.models import Transaction
from kafo.funding.rates import RatesError, load_rates


@pytest.fixture
def waiting(db, organisation):
    echo, hi = organisation("ECHO", "donor"), organisation("HI")
    return [
        Transaction.objects.create(type="3", provider=echo, receiver=hi, currency=currency,
                                   date=datetime.date(2024, 3, 1), amount=Decimal(amount))
        for currency, amount in [("EUR", "1000"), ("USD", "-500"), ("GBP", "200")]
    ]  # fmt: skip


def _csv(tmp_path, text):
    path = tmp_path / "rates.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_kafos_layout_converts_what_was_waiting(tmp_path, waiting):
    assert all(t.conversion_pending for t in waiting)
    report = load_rates(_csv(tmp_path, "currency,date,to_usd,source\nEUR,2024-01-01,1.10,BCE\n"))
    assert (report.created, report.converted, report.still_pending) == (1, 2, 1)
    eur, usd, gbp = (Transaction.objects.get(pk=t.pk) for t in waiting)
    assert eur.amount_usd == Decimal("1100.00") and eur.amount_xof == Decimal(655957)
    assert usd.amount_usd == Decimal("-500.00") and usd.amount_xof is not None
    assert gbp.amount_usd is None  # no GBP rate yet


def test_the_imf_layout_gives_units_per_usd(tmp_path, waiting):
    text = ("Date,Rate,Currency,Frequency,Source,Country code,Country\n"
            "2024-01-31,0.8,EUR,M,IMF,U2,Euro Area\n2024-01-31,0.5,GBP,M,IMF,GB,UK\n")  # fmt: skip
    report = load_rates(_csv(tmp_path, text))
    assert (report.created, report.converted, report.still_pending) == (2, 3, 0)
    assert ExchangeRate.objects.get(currency="GBP").to_usd == Decimal(2)
    assert Transaction.objects.get(pk=waiting[2].pk).amount_usd == Decimal("400.00")


def test_a_bad_row_loads_nothing_and_names_its_line(tmp_path, waiting):
    text = (
        "currency,date,to_usd,source\nEUR,2024-01-01,1.10,BCE\nFCF,2024-01-01,1,BCE\n"
        "EUR,31/01/2024,1.1,BCE\nGBP,2024-01-01,-1,BCE\nEUR,2024-01-01,1.2,BCE\n"
    )
    report = load_rates(_csv(tmp_path, text))
    assert [line for line, _reason in report.errors] == [3, 4, 5, 6]
    assert "ISO 4217" in report.errors[0][1] and "ligne 2" in report.errors[3][1]
    assert not ExchangeRate.objects.exists()
    assert all(t.conversion_pending for t in Transaction.objects.all())


def test_fcfa_means_xof(tmp_path, db):
    load_rates(_csv(tmp_path, "currency;date;to_usd;source\nFCFA;2024-01-01;0.0016;BCEAO\n"))
    assert ExchangeRate.objects.get().currency == "XOF"


def test_a_file_without_the_columns_is_refused(tmp_path, db):
    with pytest.raises(RatesError, match="currency, date"):
        load_rates(_csv(tmp_path, "a,b\n1,2\n"))


def test_the_command_reports_and_fails_cleanly(tmp_path, waiting, capsys):
    call_command("import_rates", str(_csv(tmp_path, "currency,date,to_usd\nEUR,2024-01-01,1.1\n")),
                 "--source", "BCE")  # fmt: skip
    assert "Transactions converties : 2" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Lignes refusées : 1"):
        call_command("import_rates", str(_csv(tmp_path, "currency,date,to_usd\nEUR,x,1\n")),
                     "--source", "BCE")  # fmt: skip


def test_a_rate_added_in_the_admin_converts_what_was_waiting(client, waiting, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    rate = {"currency": "EUR", "date": "2024-01-01", "to_usd": "1.1", "source": "BCE"}
    client.post("/admin/currencies/exchangerate/add/", rate)
    assert Transaction.objects.get(pk=waiting[0].pk).amount_usd == Decimal("1100.00")
