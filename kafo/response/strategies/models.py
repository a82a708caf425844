"""Strategies and plans: pillars, objectives and targets with indicators, and the shares
of activities in them."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kafo import vocabulary
from kafo.response.activities.models import Activity
from kafo.sensitivity import PUBLIC, classed, protect


class FrameworkKind(models.TextChoices):
    MINE_ACTION_STRATEGY = "mine_action_strategy", _("National mine action strategy")
    DEVELOPMENT_PLAN = "development_plan", _("National development plan")
    HUMANITARIAN_RESPONSE_PLAN = "hrp", _("Humanitarian response plan")
    OTHER = "other", _("Other framework")


@protect(
    owner="owner_id",
    fields=classed(PUBLIC, "id owner kind name start_year end_year"),
)
class Framework(models.Model):
    """A strategy or plan: pillars, objectives and targets with indicators."""

    owner = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="frameworks",
        verbose_name=_("owner"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=24, choices=FrameworkKind.choices)
    name = models.CharField(_("name"), max_length=255)
    start_year = models.PositiveSmallIntegerField(_("from (year)"))
    end_year = models.PositiveSmallIntegerField(_("to (year)"))

    class Meta:
        verbose_name = _("strategy or plan")
        verbose_name_plural = _("strategies and plans")
        ordering = ["-start_year", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_year}–{self.end_year})"

    def get_absolute_url(self) -> str:
        return reverse("response:framework", args=[self.pk])


class ObjectiveLevel(models.TextChoices):
    PILLAR = "pillar", _("Pillar")
    OBJECTIVE = "objective", _("Objective")
    TARGET = "target", _("Target")


@protect(
    owner="framework__owner_id",
    fields=classed(PUBLIC, "id framework parent level code title"),
)
class Objective(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("framework")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
        verbose_name=_("part of"),
    )  # fmt: skip
    level = models.CharField(_("level"), max_length=16, choices=ObjectiveLevel.choices)
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=255)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["framework", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="objective_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Measure(models.TextChoices):
    PEOPLE_REACHED = "people_reached", _("People reached")
    ACTIVITIES_COMPLETED = "activities_completed", _("Activities completed")
    BUDGET_USD = vocabulary.BUDGET_USD, _("Budget of the activities (USD)")


@protect(
    owner="objective__framework__owner_id",
    fields=classed(PUBLIC, "id objective name measure baseline target"),
)
class Indicator(models.Model):
    """How an objective is measured: target against what the tagged activities achieve."""

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("objective")
    )
    name = models.CharField(_("name"), max_length=255)
    measure = models.CharField(_("measure"), max_length=24, choices=Measure.choices)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, default=0)
    target = models.DecimalField(
        _("target"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


@protect(
    owner="activity__organisation_id",
    fields=classed(PUBLIC, "id activity objective percentage"),
)
class ActivityObjective(models.Model):
    """An activity's share in an objective; an activity's shares in one framework sum to 100."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("activity")
    )
    objective = models.ForeignKey(
        Objective, on_delete=models.PROTECT, related_name="activities", verbose_name=_("objective")
    )
    percentage = models.DecimalField(
        _("share (%)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )  # fmt: skip

    class Meta:
        verbose_name = _("activity share in an objective")
        verbose_name_plural = _("activity shares in objectives")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "objective"], name="activity_objective_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity} → {self.objective.code} ({self.percentage} %)"
