"""The forms of the strategies, and the shares field of activities and flows."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.response.strategies.models import Framework, Indicator, Objective
from kafo.response.strategies.splits import check_splits, parse_splits


class SharesField(forms.CharField):
    """Shares in strategy objectives, "CODE ; %" per line, summing to 100 per framework;
    cleans to [(objective, percentage)]."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Shares in strategy objectives (optional)"))
        kwargs.setdefault("help_text", gettext_lazy(
            "One per line: objective code ; percentage. The shares in each framework sum to 100."
        ))  # fmt: skip
        super().__init__(required=False, widget=forms.Textarea(attrs={"rows": 3}), **kwargs)

    def clean(self, value):
        try:
            splits = parse_splits(super().clean(value))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        codes = [code for code, _p in splits]
        objectives = {
            o.code: o for o in Objective.objects.filter(code__in=codes).select_related("framework")
        }
        unknown = [code for code in codes if code not in objectives]
        if unknown:
            raise forms.ValidationError(
                _("Unknown objective codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        problems = check_splits([(str(objectives[c].framework), c, p) for c, p in splits])
        if problems:
            raise forms.ValidationError(problems)
        return [(objectives[code], pct) for code, pct in splits]


class FrameworkForm(forms.ModelForm):
    class Meta:
        model = Framework
        fields = ["kind", "name", "start_year", "end_year"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The last year is before the first."))
        return data


class ObjectiveForm(forms.ModelForm):
    parent_code = forms.CharField(
        label=gettext_lazy("Part of (code)"), required=False, max_length=20,
        help_text=gettext_lazy("Leave empty for a pillar."),
    )  # fmt: skip

    class Meta:
        model = Objective
        fields = ["code", "level", "title"]

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework

    def clean(self):
        data = super().clean()
        code, parent = data.get("code"), (data.get("parent_code") or "").strip()
        if code and self.framework.objectives.filter(code=code).exists():
            self.add_error(
                "code", _("%(code)s is already used in this framework.") % {"code": code}
            )
        data["parent"] = None
        if parent:
            data["parent"] = self.framework.objectives.filter(code=parent).first()
            if data["parent"] is None:
                self.add_error("parent_code", _("No objective %(code)s in this framework.")
                               % {"code": parent})  # fmt: skip
        return data

    def save(self, commit: bool = True) -> Objective:
        objective = super().save(commit=False)
        objective.framework = self.framework
        objective.parent = self.cleaned_data["parent"]
        if commit:
            objective.save()
        return objective


class IndicatorForm(forms.ModelForm):
    objective_code = forms.CharField(label=gettext_lazy("Objective (code)"), max_length=20)

    class Meta:
        model = Indicator
        fields = ["name", "measure", "baseline", "target"]

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework

    def clean_objective_code(self) -> Objective:
        code = self.cleaned_data["objective_code"].strip()
        objective = self.framework.objectives.filter(code=code).first()
        if objective is None:
            raise forms.ValidationError(
                _("No objective %(code)s in this framework.") % {"code": code}
            )
        return objective

    def save(self, commit: bool = True) -> Indicator:
        indicator = super().save(commit=False)
        indicator.objective = self.cleaned_data["objective_code"]
        if commit:
            indicator.save()
        return indicator
