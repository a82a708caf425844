"""Funding flows the IATI way: pledges, commitments, disbursements and expenditure between
organisations, in their own currency, converted to USD and XOF with a dated, sourced rate."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kafo.choices import ChoiceLabels
from kafo.currencies.codes import validate_currency
from kafo.sensitivity import PUBLIC, classed, protect

# Amounts keep 15 significant digits, what SQLite's floating-point storage of decimals holds
# exactly (beyond it a value reads back changed, or fails): 13 digits before the point.
AMOUNT_LIMIT = Decimal("1e13")


class TransactionType(models.TextChoices):
    """IATI TransactionType codes."""

    INCOMING_FUNDS = "1", _("Incoming funds")
    OUTGOING_COMMITMENT = "2", _("Outgoing commitment")
    DISBURSEMENT = "3", _("Disbursement")
    EXPENDITURE = "4", _("Expenditure")
    INCOMING_COMMITMENT = "11", _("Incoming commitment")
    OUTGOING_PLEDGE = "12", _("Outgoing pledge")
    INCOMING_PLEDGE = "13", _("Incoming pledge")


PLEDGES = {TransactionType.OUTGOING_PLEDGE, TransactionType.INCOMING_PLEDGE}
COMMITMENTS = {TransactionType.OUTGOING_COMMITMENT, TransactionType.INCOMING_COMMITMENT}
DISBURSED = {TransactionType.DISBURSEMENT, TransactionType.INCOMING_FUNDS}


@protect(
    owner="provider_id",
    fields=classed(
        PUBLIC,
        "id type provider receiver activity pledge date value_date amount country_share currency "
        "rate_to_usd "
        "rate_to_xof rate_date rate_source on_budget humanitarian description source_id "
        "source_document",
    ),
)
class Transaction(ChoiceLabels, models.Model):
    """One pledge, commitment, disbursement or expenditure, provider → receiver."""

    type = models.CharField(_("transaction type"), max_length=2, choices=TransactionType.choices)
    provider = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="transactions_provided",
        verbose_name=_("provider"),
    )  # fmt: skip
    receiver = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="transactions_received",
        verbose_name=_("receiver"),
    )  # fmt: skip
    activity = models.ForeignKey(
        "response.Activity", on_delete=models.PROTECT, null=True, blank=True,
        related_name="transactions", verbose_name=_("activity"),
    )  # fmt: skip
    pledge = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="against",
        verbose_name=_("against pledge"), limit_choices_to={"type__in": sorted(PLEDGES)},
    )  # fmt: skip
    date = models.DateField(_("date"))
    # The date whose rate converts the amount (IATI's value-date), when not the date itself.
    value_date = models.DateField(_("value date"), null=True, blank=True)
    # Signed: a negative amount is a reversal or a reimbursement, and totals net it out.
    amount = models.DecimalField(
        _("amount"), max_digits=18, decimal_places=2,
        # 15 significant digits: what SQLite's storage of decimals keeps exactly.
        validators=[MinValueValidator(-AMOUNT_LIMIT + Decimal("0.01")),
                    MaxValueValidator(AMOUNT_LIMIT - Decimal("0.01"))],
    )  # fmt: skip
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    # Empty while no rate is known for the currency and date: the conversion is pending,
    # and kafo.funding.conversion.convert_pending fills it once a rate is loaded.
    rate_to_usd = models.DecimalField(
        _("rate to USD"), max_digits=18, decimal_places=8, null=True, blank=True
    )
    rate_to_xof = models.DecimalField(
        _("rate to XOF"), max_digits=18, decimal_places=8, null=True, blank=True
    )
    rate_date = models.DateField(_("date of the rate"), null=True, blank=True)
    rate_source = models.CharField(_("source of the rate"), max_length=200, blank=True)
    on_budget = models.BooleanField(_("on the national budget"), default=False)
    humanitarian = models.BooleanField(_("humanitarian"), default=True)
    description = models.TextField(_("description"), blank=True)
    # The part of the amount that goes to the country (IATI recipient-country percentage of a
    # regional activity): totals count amount × share; the amount stays as published.
    country_share = models.DecimalField(
        _("share for the country"), max_digits=5, decimal_places=4, default=Decimal(1),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )  # fmt: skip
    # "iati:<n>" for the n-th transaction of an imported IATI activity (replaced on re-import).
    source_id = models.CharField(_("source identifier"), max_length=64, blank=True)
    # A flow entered by hand (a donor that publishes no IATI data: the Islamic Development
    # Bank, a bilateral partner): the document it comes from (a communiqué, an agreement).
    source_document = models.CharField(
        _("source document"), max_length=300, blank=True,
        help_text=_("For a flow not published in IATI: the document it comes from (title, "
                    "date, link)."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        kind = self.get_type_display()
        return f"{kind} {self.amount} {self.currency} {self.provider} → {self.receiver}"

    def get_absolute_url(self) -> str:
        return reverse("funding:transaction", args=[self.pk])

    @property
    def from_iati(self) -> bool:
        """Whether the flow was imported from an IATI file (else entered by hand)."""
        return self.source_id.startswith("iati:")

    @property
    def amount_usd(self) -> Decimal | None:
        """The amount in USD, or None while its conversion is pending."""
        if self.rate_to_usd is None:
            return None
        return (self.amount * self.rate_to_usd).quantize(Decimal("0.01"))

    @property
    def amount_xof(self) -> Decimal | None:
        """The amount in XOF, or None while its conversion is pending."""
        if self.rate_to_xof is None:
            return None
        return (self.amount * self.rate_to_xof).quantize(Decimal("1"))

    @property
    def country_amount_usd(self) -> Decimal | None:
        """What the country receives of the amount, in USD (None while pending)."""
        usd = self.amount_usd
        return None if usd is None else (usd * self.country_share).quantize(Decimal("0.01"))

    @property
    def conversion_date(self):
        return self.value_date or self.date

    @property
    def conversion_pending(self) -> bool:
        return self.rate_to_usd is None or self.rate_to_xof is None


@protect(
    owner="transaction__provider_id",
    fields=classed(PUBLIC, "id transaction objective percentage"),
)
class TransactionObjective(models.Model):
    """A transaction's share in an objective; its shares in one framework sum to 100."""

    transaction = models.ForeignKey(
        Transaction, on_delete=models.CASCADE, related_name="objectives",
        verbose_name=_("transaction"),
    )  # fmt: skip
    objective = models.ForeignKey(
        "response.Objective", on_delete=models.PROTECT, related_name="transactions",
        verbose_name=_("objective"),
    )  # fmt: skip
    percentage = models.DecimalField(
        _("share (%)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )  # fmt: skip

    class Meta:
        verbose_name = _("transaction share in an objective")
        verbose_name_plural = _("transaction shares in objectives")
        constraints = [
            models.UniqueConstraint(
                fields=["transaction", "objective"], name="transaction_objective_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.transaction} → {self.objective.code} ({self.percentage} %)"
