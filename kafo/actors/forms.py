from django import forms
from django.utils.translation import gettext_lazy as _

from kafo.actors.models import Organisation


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    alt_names = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: former names, translations."),
    )

    class Meta:
        model = Organisation
        fields = ["name", "acronym", "type", "iati_identifier", "parent", "website", "alt_names"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["alt_names"] = "\n".join(self.instance.alt_names or [])

    def clean_alt_names(self) -> list[str]:
        lines = self.cleaned_data.get("alt_names", "").splitlines()
        return [line.strip() for line in lines if line.strip()]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = Organisation._meta.get_field("type").choices
        self.fields["type"].choices = [("", _("All types")), *types]
