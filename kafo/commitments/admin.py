from django.contrib import admin

from kafo.commitments.models import Assessment, Commitment, CommitmentFramework, Pillar


class PillarInline(admin.TabularInline):
    model = Pillar
    extra = 1


@admin.register(CommitmentFramework)
class CommitmentFrameworkAdmin(admin.ModelAdmin):
    """The coordination records frameworks and their pillars here until their pages come."""

    list_display = ["name", "kind", "date", "status", "demo"]
    list_filter = ["kind", "status", "demo"]
    search_fields = ["name"]
    filter_horizontal = ["parties", "guarantors"]
    inlines = [PillarInline]


class AssessmentInline(admin.TabularInline):
    model = Assessment
    extra = 1
    fields = ["date", "score", "evidence", "source", "assessor", "validated_at"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["reference", "framework", "pillar", "deadline", "draft"]
    list_filter = ["framework", "draft", "pillar"]
    search_fields = ["reference", "text_fr", "text_en"]
    filter_horizontal = ["responsible"]
    raw_id_fields = ["activities", "transactions"]
    inlines = [AssessmentInline]
