from django.contrib import admin

from kafo.mineaction.models import PriorityWeights


@admin.register(PriorityWeights)
class PriorityWeightsAdmin(admin.ModelAdmin):
    list_display = ["updated_at", "casualties", "population", "settlements", "blockages",
                    "access", "radius_km"]  # fmt: skip
