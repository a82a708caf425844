"""Following up commitments: frameworks (agreements, roadmaps, resolutions, communiqués,
treaties, strategies, pledge conferences), their commitments (provisions, actions,
paragraphs), assessments over time on the Peace Accords Matrix scale, and links to the
activities and funding that implement them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kafo.sensitivity import PARTNERS, PUBLIC, classed, protect


class CommitmentFrameworkKind(models.TextChoices):
    AGREEMENT = "agreement", _("Peace agreement")
    ROADMAP = "roadmap", _("Roadmap")
    RESOLUTION = "resolution", _("Resolution")
    COMMUNIQUE = "communique", _("Communiqué")
    TREATY = "treaty", _("Treaty")
    STRATEGY = "strategy", _("National strategy")
    PLEDGE_CONFERENCE = "pledge_conference", _("Pledge conference")


class FrameworkStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")
    SUPERSEDED = "superseded", _("Superseded")


@protect(
    fields=classed(
        PUBLIC,
        "id name kind date status status_date status_note parties guarantors monitoring_body "
        "languages source_url demo pledges",
    )
)
class CommitmentFramework(models.Model):
    """An agreement, a roadmap, a resolution, a communiqué, a treaty, a strategy or a pledge
    conference. Its history stays when it ends (a terminated agreement keeps its record)."""

    name = models.CharField(_("name"), max_length=300, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CommitmentFrameworkKind.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=FrameworkStatus.choices,
                              default=FrameworkStatus.IN_FORCE)  # fmt: skip
    status_date = models.DateField(_("status since"), null=True, blank=True)
    status_note = models.CharField(_("status note"), max_length=300, blank=True)
    parties = models.ManyToManyField("actors.Organisation", related_name="+", blank=True,
                                     verbose_name=_("parties"))  # fmt: skip
    guarantors = models.ManyToManyField("actors.Organisation", related_name="+", blank=True,
                                        verbose_name=_("guarantors"))  # fmt: skip
    monitoring_body = models.ForeignKey(
        "actors.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("monitoring body"),
    )  # fmt: skip
    # Language versions: {"fr": "https://…", "ar": "…"}.
    languages = models.JSONField(_("language versions"), default=dict, blank=True)
    source_url = models.URLField(_("source"), blank=True)
    demo = models.BooleanField(_("demo (statuses invented)"), default=False)
    pledges = models.ManyToManyField(
        "funding.Transaction", related_name="pledge_frameworks", blank=True,
        limit_choices_to={"type__in": ["12", "13"]}, verbose_name=_("pledges made there"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("commitment framework")
        verbose_name_plural = _("commitment frameworks")
        ordering = ["-date", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("commitments:framework", args=[self.pk])


@protect(fields=classed(PUBLIC, "id framework code name"))
class Pillar(models.Model):
    """A pillar or theme of a framework (for the 2015 agreement: political and
    institutional; defence and security; development; reconciliation and justice)."""

    framework = models.ForeignKey(CommitmentFramework, on_delete=models.CASCADE,
                                  related_name="pillars", verbose_name=_("framework"))  # fmt: skip
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        ordering = ["framework", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"],
                                               name="one_pillar_code_per_framework")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


@protect(
    fields=classed(
        PUBLIC,
        "id framework reference text_fr text_en pillar responsible deadline indicators draft "
        "activities transactions order",
    )
)
class Commitment(models.Model):
    """A provision, an action or a paragraph, with who must do it and by when."""

    framework = models.ForeignKey(
        CommitmentFramework, on_delete=models.CASCADE, related_name="commitments",
        verbose_name=_("framework"),
    )  # fmt: skip
    reference = models.CharField(_("reference (article, paragraph)"), max_length=40)
    order = models.PositiveIntegerField(_("order"), default=0)
    text_fr = models.TextField(_("text (French)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    pillar = models.ForeignKey(Pillar, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="commitments", verbose_name=_("pillar"))  # fmt: skip
    responsible = models.ManyToManyField(
        "actors.Organisation", related_name="commitments", blank=True,
        verbose_name=_("responsible parties"),
    )  # fmt: skip
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    indicators = models.TextField(_("indicators"), blank=True)
    # Imported paragraphs wait for review before they count.
    draft = models.BooleanField(_("draft (to review)"), default=False)
    activities = models.ManyToManyField("response.Activity", related_name="commitments",
                                        blank=True, verbose_name=_("activities"))  # fmt: skip
    transactions = models.ManyToManyField("funding.Transaction", related_name="commitments",
                                          blank=True, verbose_name=_("funding"))  # fmt: skip

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["framework", "order", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "reference"], name="one_commitment_reference_per_framework"
            )
        ]

    def __str__(self) -> str:
        return f"{self.framework} §{self.reference}"

    @property
    def text(self) -> str:
        return self.text_fr or self.text_en


class Score(models.IntegerChoices):
    """The Peace Accords Matrix scale."""

    NOT_INITIATED = 0, _("0 · not initiated")
    MINIMAL = 1, _("1 · minimal")
    INTERMEDIATE = 2, _("2 · intermediate")
    FULL = 3, _("3 · full")


@protect(
    owner="assessor_id",
    fields={
        **classed(PUBLIC, "id commitment date score evidence links source assessor validated_at"),
        **classed(PARTNERS, "recorded_by validated_by"),
    },
)
class Assessment(models.Model):
    """Where a commitment stands on a date, on the 0–3 scale, with its evidence; kept over
    time; it counts once the monitoring body (the coordination) has validated it."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="assessments",
        verbose_name=_("commitment"),
    )  # fmt: skip
    date = models.DateField(_("date"))
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices,
                                             validators=[MinValueValidator(0),
                                                         MaxValueValidator(3)])  # fmt: skip
    evidence = models.TextField(_("evidence"), blank=True)
    links = models.JSONField(_("documents and links"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    assessor = models.ForeignKey("actors.Organisation", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("assessor"))  # fmt: skip
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("recorded by"))  # fmt: skip
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("validated by"))  # fmt: skip
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["commitment", "-date", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(score__lte=3),
                                              name="assessment_score_0_to_3")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.commitment} {self.date} {self.score}"
