from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.actors.models import Organisation
from kafo.geo.models import AdminUnit
from kafo.library.models import ItemType, LibraryItem
from kafo.meetings.models import (
    ActionPoint,
    ActionStatus,
    Attendance,
    CoordinationBody,
    Decision,
    Meeting,
    Referral,
    ReferralStatus,
)

# What a decision may be about: a label, and the model it names ("app_label.model").
SUBJECTS = {
    "plan": (gettext_lazy("a joint plan (its number)"), "coordination.jointplan", "pk"),
    "commitment": (gettext_lazy("a commitment (its number)"), "commitments.commitment", "pk"),
    "hazard": (gettext_lazy("a hazard (its reference)"), "mineaction.hazard", "reference"),
    "analysis": (gettext_lazy("an analysis (its name: gaps, equity…)"), "", ""),
}


# The analyses' names (kafo.coordination.registry, a layer above, checks they agree).
ANALYSIS_NAMES = ("gaps", "duplicates", "equity", "alignment", "priorities", "community")


class BodyForm(forms.ModelForm):
    terms_of_reference = forms.URLField(label=gettext_lazy("Terms of reference (a link)"),
                                        required=False, assume_scheme="https")  # fmt: skip

    class Meta:
        model = CoordinationBody
        fields = ["name", "acronym", "kind", "level", "admin_unit", "lead", "co_leads",
                  "parent", "terms_of_reference_item", "terms_of_reference", "active"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["terms_of_reference_item"].queryset = LibraryItem.objects.filter(
            item_type=ItemType.TERMS_OF_REFERENCE).order_by("title")  # fmt: skip
        self.fields["admin_unit"].queryset = AdminUnit.objects.active().filter(
            level=1).without_geometry().order_by("name")  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("level") == "regional" and not data.get("admin_unit"):
            self.add_error("admin_unit", _("A regional body names its region."))
        return data


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "place", "remote", "agenda"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
                   "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
                   "agenda": forms.Textarea(attrs={"rows": 4})}  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("A meeting ends after it starts."))
        return data


class AttendanceRowForm(forms.ModelForm):
    organisation_name = forms.CharField(label=gettext_lazy("Organisation"), max_length=200,
                                        required=False)  # fmt: skip

    class Meta:
        model = Attendance
        fields = ["name", "organisation_name", "sex", "role", "remote"]


AttendanceFormSet = forms.formset_factory(AttendanceRowForm, extra=6, max_num=200,
                                          validate_max=True)  # fmt: skip


class DecisionForm(forms.ModelForm):
    subject_kind = forms.ChoiceField(
        label=gettext_lazy("About"), required=False,
        choices=[("", "—"), *((key, label) for key, (label, _m, _f) in SUBJECTS.items())],
    )  # fmt: skip
    subject_ref = forms.CharField(label=gettext_lazy("Which"), max_length=64, required=False)

    class Meta:
        model = Decision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        from django.apps import apps

        data = super().clean()
        kind, ref = data.get("subject_kind"), (data.get("subject_ref") or "").strip()
        self.subject = (None, "")
        if not kind:
            return data
        if not ref:
            self.add_error("subject_ref", _("Say which one."))
            return data
        label, model_name, field = SUBJECTS[kind]
        if kind == "analysis":
            if ref not in ANALYSIS_NAMES:
                self.add_error("subject_ref", _("%(ref)s is not an analysis of Kafo (%(names)s).")
                               % {"ref": ref, "names": ", ".join(ANALYSIS_NAMES)})  # fmt: skip
            else:
                self.subject = (None, f"analysis:{ref}")
            return data
        model = apps.get_model(model_name)
        lookup = {field: ref if field != "pk" else (int(ref) if ref.isdigit() else -1)}
        found = model._default_manager.filter(**lookup).first()
        if found is None:
            self.add_error("subject_ref", _("No %(what)s %(ref)s.") % {"what": label, "ref": ref})
        else:
            self.subject = (ContentType.objects.get_for_model(model), str(found.pk))
        return data


class ActionForm(forms.ModelForm):
    class Meta:
        model = ActionPoint
        fields = ["text", "decision", "owner", "owner_person", "deadline"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}),
                   "deadline": forms.DateInput(attrs={"type": "date"})}  # fmt: skip

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.order_by("name")
        self.fields["decision"].queryset = (meeting.decisions.all() if meeting
                                            else Decision.objects.none())  # fmt: skip
        self.fields["decision"].required = False


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"),
                               choices=ActionStatus.choices)  # fmt: skip
    evidence = forms.CharField(
        label=gettext_lazy("Evidence of completion"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    done_on = forms.DateField(label=gettext_lazy("Done on"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("status") == "done":
            if not (data.get("evidence") or "").strip():
                self.add_error(
                    "evidence", _("Done: say how it can be seen (a document, a link, a record).")
                )
            data["done_on"] = data.get("done_on") or timezone.localdate()
            if data["done_on"] > timezone.localdate():
                self.add_error("done_on", _("The date cannot be in the future."))
        return data


class AttendanceFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Attendance sheet (CSV or XLSX)"))


class ReferralForm(forms.ModelForm):
    pcode = forms.CharField(label=gettext_lazy("Admin unit (p-code, optional)"), max_length=32,
                            required=False)  # fmt: skip

    class Meta:
        model = Referral
        fields = ["source", "target", "receiver", "referred_on", "case_reference", "summary"]
        widgets = {"referred_on": forms.DateInput(attrs={"type": "date"}),
                   "summary": forms.Textarea(attrs={"rows": 2})}  # fmt: skip

    def clean_referred_on(self):
        when = self.cleaned_data["referred_on"]
        if when > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return when

    def clean_pcode(self) -> AdminUnit | None:
        pcode = self.cleaned_data["pcode"].strip().upper()
        if not pcode:
            return None
        unit = AdminUnit.objects.active().filter(pcode=pcode).without_geometry().first()
        if unit is None:
            raise forms.ValidationError(_("%s is not a p-code of the active boundaries.") % pcode)
        return unit


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ReferralStatus.choices)
    status_note = forms.CharField(label=gettext_lazy("Note on the status"), required=False,
                                  max_length=2000)  # fmt: skip
