from django.contrib import admin

from kafo.funding.models import ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """Rates to USD by date, with their source (BCEAO, ECB, IMF...)."""

    list_display = ["currency", "date", "to_usd", "source"]
    list_filter = ["currency"]
    date_hierarchy = "date"
