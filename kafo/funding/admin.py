from django.contrib import admin, messages
from django.utils.translation import gettext as _

from kafo.currencies.models import ExchangeRate
from kafo.funding.conversion import convert_pending


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """Rates to USD by date, with their source (BCEAO, ECB, IMF...)."""

    list_display = ["currency", "date", "to_usd", "source"]
    list_filter = ["currency"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        converted, still = convert_pending()
        if converted:
            messages.info(
                request,
                _("Transactions converted: %(converted)d; still waiting for a rate: %(still)d.")
                % {"converted": converted, "still": still},
            )
