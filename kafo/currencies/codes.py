"""Currency codes: ISO 4217, checked with pycountry (amounts in any currency are
converted with the dated rates of kafo.currencies.rates)."""

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_currency(code: str) -> None:
    """Refuse a code that is not an ISO 4217 currency."""
    if pycountry.currencies.get(alpha_3=code) is None:
        raise ValidationError(
            _("%(code)s is not an ISO 4217 currency code (USD, EUR, XOF…)."), params={"code": code}
        )


def currency_code(text: str) -> str:
    """A currency as typed ("eur ") as its ISO 4217 code ("EUR"); ValidationError if none."""
    code = text.strip().upper()
    validate_currency(code)
    return code
