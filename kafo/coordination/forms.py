"""The form of the priorities page: the weights of the national authority."""

from django import forms
from django.utils.translation import gettext as _

from kafo.mineaction.models import PriorityWeights

CRITERIA = PriorityWeights.CRITERIA


class PriorityWeightsForm(forms.ModelForm):
    """The weights of the priority criteria; each save is a new row, so the history stays."""

    class Meta:
        model = PriorityWeights
        fields = [*CRITERIA, "radius_km"]
        widgets = {name: forms.NumberInput(attrs={"step": "0.05", "min": "0"}) for name in CRITERIA}

    def clean(self):
        data = super().clean()
        for name in CRITERIA:
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("A weight is 0 or more."))
        if all(data.get(name) == 0 for name in CRITERIA):
            raise forms.ValidationError(_("At least one criterion needs a weight above 0."))
        radius = data.get("radius_km")
        if radius is not None and not 0 < radius <= 100:
            self.add_error("radius_km", _("The distance is a number of km between 0 and 100."))
        return data
