from django.contrib import admin

from kafo.library.models import Collection, Lesson, LibraryItem


@admin.register(LibraryItem)
class LibraryItemAdmin(admin.ModelAdmin):
    list_display = ["title", "item_type", "pillar", "language", "status", "confidentiality",
                    "is_demo", "created_at"]  # fmt: skip
    list_filter = ["item_type", "pillar", "language", "status", "confidentiality", "is_demo"]
    search_fields = ["title", "title_en", "imas_reference"]
    readonly_fields = ["file", "file_name", "media_type", "checksum", "size", "text", "scanned",
                       "extraction_note"]  # fmt: skip


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "pillar", "organisation", "confidentiality", "created_at"]
    list_filter = ["pillar", "confidentiality"]
    search_fields = ["title"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["title", "curator", "updated_at"]
    filter_horizontal = ["items"]
