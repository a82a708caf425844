"""Joint plans: who goes where, when, computed over every organisation's shared teams
(kafo.planning), answered by the organisations and adopted by the coordination. Their
tables were made by the response app; they keep their names."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kafo.response.models import Resource
from kafo.sensitivity import NATIONAL_IM, PARTNERS, classed, protect


class PlanStatus(models.TextChoices):
    SOLVING = "solving", _("Being computed")
    DRAFT = "draft", _("Draft")
    DISCUSSED = "discussed", _("Under discussion")
    ADOPTED = "adopted", _("Adopted")
    SUPERSEDED = "superseded", _("Replaced by a re-plan")
    FAILED = "failed", _("Failed")


@protect(
    owner="created_by_id",
    fields={
        **classed(
            PARTNERS,
            "id name status start months options objective gap solver_status solve_seconds "
            "dividend message created_by replaces created_at updated_at",
        ),
        **classed(NATIONAL_IM, "task_id"),
    },
    rows=PARTNERS,
)
class JointPlan(models.Model):
    """A joint plan: who goes where, when, computed over every organisation's shared teams,
    discussed, then adopted by the coordination."""

    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices,
                              default=PlanStatus.SOLVING)  # fmt: skip
    start = models.DateField(_("first month"))
    months = models.PositiveSmallIntegerField(
        _("months"), validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    options = models.JSONField(_("options"), default=dict, blank=True)
    objective = models.FloatField(_("objective"), null=True, blank=True)
    gap = models.FloatField(_("optimality gap"), null=True, blank=True)
    solver_status = models.CharField(_("solver status"), max_length=20, blank=True)
    solve_seconds = models.FloatField(_("seconds to compute"), null=True, blank=True)
    dividend = models.JSONField(_("coordination dividend"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("made by"),
    )  # fmt: skip
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replanned_as",
        verbose_name=_("re-plan of"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The background task computing it (kafo.coordination.tasks.solve_plan), for its page.
    task_id = models.CharField(_("task"), max_length=64, blank=True, editable=False)

    class Meta:
        db_table = "response_jointplan"  # made by the response app, before coordination
        verbose_name = _("joint plan")
        verbose_name_plural = _("joint plans")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plan", args=[self.pk])


class AssignmentAnswer(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


@protect(
    owner="organisation_id",
    fields=classed(
        PARTNERS,
        "id plan resource organisation task task_type hazard admin_unit period month output "
        "km reason answer answered_at",
    ),
    rows=PARTNERS,
)
class PlanAssignment(models.Model):
    """One team of one organisation on one task in one month of a joint plan."""

    plan = models.ForeignKey(JointPlan, on_delete=models.CASCADE, related_name="assignments",
                             verbose_name=_("plan"))  # fmt: skip
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("team"))  # fmt: skip
    organisation = models.ForeignKey(
        "actors.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip
    task = models.CharField(_("task"), max_length=64)
    task_type = models.CharField(_("task type"), max_length=16)
    hazard = models.ForeignKey(
        "mineaction.Hazard", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("hazard"),
    )  # fmt: skip
    admin_unit = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("admin unit")
    )
    period = models.PositiveSmallIntegerField(_("period"))
    month = models.DateField(_("month"))
    output = models.FloatField(_("expected output"))
    km = models.FloatField(_("distance (km)"))
    reason = models.JSONField(_("reason"), default=dict, blank=True)
    answer = models.CharField(_("answer"), max_length=10, choices=AssignmentAnswer.choices,
                              default=AssignmentAnswer.PENDING)  # fmt: skip
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        db_table = "response_planassignment"  # made by the response app, before coordination
        verbose_name = _("plan assignment")
        verbose_name_plural = _("plan assignments")
        ordering = ["month", "organisation__name", "resource__name"]

    def __str__(self) -> str:
        return f"{self.resource_id} → {self.task} ({self.month:%Y-%m})"
