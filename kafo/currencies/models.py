"""Exchange rates: reference data that the funding flows, the 5W budgets and the
strategies' targets all convert with."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kafo.currencies.codes import validate_currency
from kafo.sensitivity import PUBLIC, classed, protect


@protect(fields=classed(PUBLIC, "id currency date to_usd source"))
class ExchangeRate(models.Model):
    """How many US dollars one unit of a currency was worth on a date, and who says so."""

    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    date = models.DateField(_("date"))
    to_usd = models.DecimalField(
        _("value in USD"), max_digits=18, decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
    )  # fmt: skip
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        db_table = "funding_exchangerate"  # made by the funding app, before this one
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="one_rate_per_day")
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.to_usd} USD ({self.date}, {self.source})"
