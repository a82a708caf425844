from django.contrib import admin

from kafo.actors.models import Accreditation, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "type", "iati_identifier", "parent"]
    list_filter = ["type"]
    search_fields = ["name", "acronym", "iati_identifier"]
    raw_id_fields = ["parent"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    raw_id_fields = ["user"]


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "activity", "issuer", "issued", "expires", "status"]
    list_filter = ["activity", "status", "standard"]
    raw_id_fields = ["organisation", "issuer"]
