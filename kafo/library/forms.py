import pycountry
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.library.files import accepted_extensions
from kafo.library.models import (
    Collection,
    ItemType,
    Lesson,
    LibraryItem,
    Pillar,
    Theme,
)

# Languages offered first (ISO 639-1/3): French, English, Bambara, Arabic, Fulfulde,
# Songhay, Tamasheq.
LANGUAGES = ["fr", "en", "bm", "ar", "ff", "ses", "tmh"]


def _language_choices() -> list[tuple[str, str]]:
    choices = []
    for code in LANGUAGES:
        found = pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code)
        choices.append((code, f"{found.name if found else code} ({code})"))
    return choices


def _country_codes(text: str) -> list[str]:
    """ISO 3166 alpha-2 codes from "ML, BF NE"; an unknown one is an error."""
    codes = []
    for part in text.replace(";", ",").replace(" ", ",").split(","):
        code = part.strip().upper()
        if not code:
            continue
        if pycountry.countries.get(alpha_2=code) is None:
            raise forms.ValidationError(_("“%s” is not an ISO 3166 country code (ML, BF, NE…)")
                                        % code)  # fmt: skip
        codes.append(code)
    return list(dict.fromkeys(codes))


class _Described(forms.ModelForm):
    """Themes as boxes, countries as codes, the language from a short list."""

    themes = forms.MultipleChoiceField(label=gettext_lazy("Cross-cutting themes"),
                                       choices=Theme.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)  # fmt: skip
    countries = forms.CharField(label=gettext_lazy("Countries"), required=False,
                                help_text=gettext_lazy("ISO codes, e.g. ML, BF, NE"))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["countries"] = ", ".join(self.instance.countries or [])
        if "admin_units" in self.fields:
            from kafo.geo.models import AdminUnit

            self.fields["admin_units"].queryset = (
                AdminUnit.objects.active().filter(level__gte=1).without_geometry()
                .order_by("level", "name")
            )  # fmt: skip
            self.fields["admin_units"].required = False

    def clean_countries(self) -> list[str]:
        return _country_codes(self.cleaned_data.get("countries") or "")


class ItemForm(_Described):
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=_language_choices)

    class Meta:
        model = LibraryItem
        fields = ["title", "title_en", "summary", "item_type", "pillar", "themes", "language",
                  "countries", "admin_units", "source_organisation", "source_name",
                  "published", "edition", "imas_reference", "status", "superseded_by",
                  "licence", "confidentiality"]  # fmt: skip
        widgets = {"published": forms.DateInput(attrs={"type": "date"}),
                   "summary": forms.Textarea(attrs={"rows": 4})}  # fmt: skip

    def clean(self):
        data = super().clean()
        replaced = data.get("superseded_by")
        if replaced is not None and self.instance.pk and replaced.pk == self.instance.pk:
            self.add_error("superseded_by", _("An item cannot supersede itself."))
        if data.get("status") == "superseded" and replaced is None:
            self.add_error("superseded_by", _("Say which item supersedes it."))
        return data


class UploadForm(ItemForm):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("PDF, Word, OpenDocument, Excel, an image or a recording: %s")
        % accepted_extensions(),
    )

    class Meta(ItemForm.Meta):
        fields = ["file", *ItemForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("The file's name when left blank.")


class LessonForm(_Described):
    class Meta:
        model = Lesson
        fields = ["title", "pillar", "themes", "context", "challenge", "action", "result",
                  "lesson", "recommendation", "applicability", "evidence", "evidence_item",
                  "countries", "admin_units", "confidentiality"]  # fmt: skip
        widgets = {name: forms.Textarea(attrs={"rows": 3})
                   for name in ("context", "challenge", "action", "result", "lesson",
                                "recommendation", "applicability", "evidence")}  # fmt: skip


class CollectionForm(forms.ModelForm):
    class Meta:
        model = Collection
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


# The records knowledge may come from: a label, the model, and how a user names one.
RECORD_TYPES = {
    "hazard": (gettext_lazy("a hazard (its reference)"), "mineaction.hazard"),
    "accident": (gettext_lazy("an accident (its reference)"), "mineaction.accident"),
    "activity": (gettext_lazy("a 5W activity (its number)"), "response.activity"),
    "campaign": (gettext_lazy("a risk education campaign (its number)"), "communities.campaign"),
    "plan": (gettext_lazy("a joint plan (its number)"), "coordination.jointplan"),
}


class LinkForm(forms.Form):
    record_type = forms.ChoiceField(
        label=gettext_lazy("Comes from"), choices=[(k, v[0]) for k, v in RECORD_TYPES.items()]
    )
    key = forms.CharField(label=gettext_lazy("Reference or number"), max_length=64)


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=300)
    item_type = forms.ChoiceField(
        label=gettext_lazy("Type"), required=False,
        choices=[("", gettext_lazy("All")), *ItemType.choices],
    )  # fmt: skip
    pillar = forms.ChoiceField(
        label=gettext_lazy("Pillar"), required=False,
        choices=[("", gettext_lazy("All")), *Pillar.choices],
    )  # fmt: skip
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), required=False,
        choices=lambda: [("", _("All")), *_language_choices()],
    )  # fmt: skip
    country = forms.CharField(label=gettext_lazy("Country"), required=False, max_length=2)
    published_from = forms.DateField(label=gettext_lazy("Published from"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    published_to = forms.DateField(label=gettext_lazy("to"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
