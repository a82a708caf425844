"""The good-practice library: standards, guidelines, lessons learned, evaluations, training
material and the coordination's own documents (terms of reference, minutes), each with
its file and the text extracted from it for search; lessons-learned records; the records
they come from (a hazard, an activity, an accident, a campaign, a plan); the collections
a coordinator curates; and who wants the e-mail of what is new."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kafo.sensitivity import NATIONAL_IM, PARTNERS, PUBLIC, Sensitivity, classed, protect


class ItemType(models.TextChoices):
    IMAS = "imas", _("International standard (IMAS)")
    NMAS = "nmas", _("National standard (NMAS)")
    TNMA = "tnma", _("Technical note (TNMA)")
    SOP = "sop", _("Standard operating procedure")
    GUIDELINE = "guideline", _("Guideline")
    LESSONS = "lessons", _("Lessons learned")
    EVALUATION = "evaluation", _("Evaluation")
    TRAINING = "training", _("Training material")
    FORM = "form", _("Form")
    REPORT = "report", _("Report")
    MAP = "map", _("Map")
    TERMS_OF_REFERENCE = "terms_of_reference", _("Terms of reference")
    MINUTES = "minutes", _("Meeting minutes")


class Pillar(models.TextChoices):
    """The pillars of mine action, and the work that serves them all."""

    LAND_RELEASE = "land_release", _("Survey and clearance (land release)")
    EOD = "eod", _("Explosive ordnance disposal")
    EORE = "eore", _("Risk education")
    VICTIM_ASSISTANCE = "victim_assistance", _("Victim assistance")
    ADVOCACY = "advocacy", _("Advocacy")
    STOCKPILE = "stockpile", _("Stockpile destruction")
    INFORMATION = "information", _("Information management")
    COORDINATION = "coordination", _("Coordination and capacity")


class Theme(models.TextChoices):
    GENDER = "gender", _("Gender")
    DISABILITY = "disability", _("Disability")
    CONFLICT = "conflict_sensitivity", _("Conflict sensitivity")
    ENVIRONMENT = "environment", _("Environment")


class ItemStatus(models.TextChoices):
    CURRENT = "current", _("In force")
    DRAFT = "draft", _("Draft")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Who may read an item, by its confidentiality (the disclosure layer's classes, without
# the restricted personal data: a library holds no person's file).
CONFIDENTIALITY = [
    (PUBLIC.value, _("Public")),
    (PARTNERS.value, _("Partners")),
    (NATIONAL_IM.value, _("National IM and the owner organisation")),
]

# Records an item or a lesson may come from ("app_label.model").
LINKABLE = ("mineaction.hazard", "mineaction.accident", "response.activity",
            "communities.campaign", "coordination.jointplan")  # fmt: skip

ITEM_FIELDS = (
    "id title title_en summary item_type pillar themes language countries admin_units "
    "source_organisation source_name published edition imas_reference status superseded_by "
    "licence confidentiality organisation file file_name media_type checksum size text "
    "scanned extraction_note is_demo created_by created_at updated_at"
)


@protect(fields=classed(PUBLIC, ITEM_FIELDS), owner="organisation_id")
class LibraryItem(models.Model):
    """A document of the library. Each row says who may read it (`confidentiality`):
    `kafo.library.services.readable_items` applies it for every page, search and file."""

    title = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    item_type = models.CharField(_("type"), max_length=20, choices=ItemType.choices)
    pillar = models.CharField(_("pillar"), max_length=20, choices=Pillar.choices, blank=True)
    themes = models.JSONField(_("cross-cutting themes"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=3, default="fr",
                                help_text=_("ISO 639 code: fr, en, bm, ar…"))  # fmt: skip
    countries = models.JSONField(_("countries"), default=list, blank=True,
                                 help_text=_("ISO 3166 alpha-2 codes"))  # fmt: skip
    admin_units = models.ManyToManyField("geo.AdminUnit", blank=True, related_name="+",
                                         verbose_name=_("admin units"))  # fmt: skip
    source_organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="library_sources", verbose_name=_("source organisation"),
    )  # fmt: skip
    # When the source is not in Kafo's directory (UNMAS, GICHD…).
    source_name = models.CharField(_("source (name)"), max_length=200, blank=True)
    published = models.DateField(_("publication date"), null=True, blank=True)
    edition = models.CharField(_("edition"), max_length=60, blank=True)
    imas_reference = models.CharField(_("IMAS reference"), max_length=80, blank=True,
                                      help_text=_("e.g. IMAS 12.10, Ed. 2, Amd 1"))  # fmt: skip
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices,
                              default=ItemStatus.CURRENT)  # fmt: skip
    superseded_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="supersedes",
                                      verbose_name=_("superseded by"))  # fmt: skip
    licence = models.CharField(_("licence"), max_length=120, blank=True)
    confidentiality = models.PositiveSmallIntegerField(
        _("who may read it"), choices=CONFIDENTIALITY, default=Sensitivity.PARTNERS
    )
    # The organisation that added it (it reads its own national-IM items).
    organisation = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="library_items",
                                     verbose_name=_("added by organisation"))  # fmt: skip
    file = models.FileField(_("file"), upload_to="library/%Y/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    media_type = models.CharField(_("media type"), max_length=120, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    text = models.TextField(_("extracted text"), blank=True)
    scanned = models.BooleanField(_("scanned (no text layer)"), default=False)
    extraction_note = models.CharField(_("text extraction"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demonstration item"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")  # fmt: skip
    created_at = models.DateTimeField(_("added on"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["item_type", "language"], name="library_type_language")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:item", args=[self.pk])

    @property
    def source(self) -> str:
        return str(self.source_organisation) if self.source_organisation else self.source_name


LESSON_FIELDS = (
    "id title pillar themes context challenge action result lesson recommendation "
    "applicability evidence evidence_item countries admin_units confidentiality organisation "
    "created_by created_at updated_at"
)


@protect(fields=classed(PUBLIC, LESSON_FIELDS), owner="organisation_id")
class Lesson(models.Model):
    """A lesson learned, told the way evaluations tell them: the context, the challenge,
    what was done and what came of it, the lesson, what to do next time and where it
    applies, and the evidence."""

    title = models.CharField(_("title"), max_length=300)
    pillar = models.CharField(_("pillar"), max_length=20, choices=Pillar.choices, blank=True)
    themes = models.JSONField(_("cross-cutting themes"), default=list, blank=True)
    context = models.TextField(_("context"))
    challenge = models.TextField(_("challenge"))
    action = models.TextField(_("action taken"))
    result = models.TextField(_("result"))
    lesson = models.TextField(_("lesson"))
    recommendation = models.TextField(_("recommendation"))
    applicability = models.TextField(_("where it applies"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_item = models.ForeignKey(LibraryItem, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="lessons_evidenced",
                                      verbose_name=_("evidence in the library"))  # fmt: skip
    countries = models.JSONField(_("countries"), default=list, blank=True)
    admin_units = models.ManyToManyField("geo.AdminUnit", blank=True, related_name="+",
                                         verbose_name=_("admin units"))  # fmt: skip
    confidentiality = models.PositiveSmallIntegerField(
        _("who may read it"), choices=CONFIDENTIALITY, default=Sensitivity.PARTNERS
    )
    organisation = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="lessons",
                                     verbose_name=_("organisation"))  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")  # fmt: skip
    created_at = models.DateTimeField(_("added on"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:lesson", args=[self.pk])


@protect(fields=classed(PUBLIC, "id item lesson content_type object_id created_by created_at"))
class RecordLink(models.Model):
    """An item or a lesson linked to the record it comes from."""

    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="links")  # fmt: skip
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="links")  # fmt: skip
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(item__isnull=False, lesson__isnull=True)
                | models.Q(item__isnull=True, lesson__isnull=False),
                name="library_link_item_or_lesson",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="library_link_record")]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"


@protect(fields=classed(PUBLIC, "id title description items curator created_at updated_at"))
class Collection(models.Model):
    """Items a coordinator gathers for a purpose ("EORE in the centre, 2025")."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    items = models.ManyToManyField(LibraryItem, blank=True, related_name="collections",
                                   verbose_name=_("items"))  # fmt: skip
    curator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:collection", args=[self.pk])


@protect(fields=classed(PARTNERS, "id user active last_sent_at"))
class DigestSubscription(models.Model):
    """A person who wants, each week, the e-mail of the items new to the library."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="library_digest")  # fmt: skip
    active = models.BooleanField(default=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.user)


@protect(fields=classed(PUBLIC, "id kind object_id title body stemmed_title stemmed_body"))
class SearchEntry(models.Model):
    """What search reads of an item or a lesson: its title and text as written (for the
    passages) and as stems (SQLite's index). PostgreSQL indexes the written ones itself
    (`kafo.library.search`). Kept in step by `kafo.library.services.index`."""

    kind = models.CharField(max_length=10)  # "item" or "lesson"
    object_id = models.PositiveBigIntegerField()
    title = models.TextField()
    body = models.TextField()
    stemmed_title = models.TextField()
    stemmed_body = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"],
                                               name="library_search_one_entry")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
