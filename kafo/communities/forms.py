"""Forms of the community pages: every place is a p-code of the active boundaries, every
phone number is checked, and a focal point is registered with the consent it gave."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.communities.models import (
    Alert,
    Campaign,
    Channel,
    ConsentScope,
    Engagement,
    FocalPoint,
    KeyMessage,
    Language,
    normalise_phone,
)  # fmt: skip
from kafo.geo.models import AdminUnit, Settlement
from kafo.mineaction.models import EoreSession


def _unit(code: str) -> AdminUnit:
    code = (code or "").strip().upper()
    unit = AdminUnit.objects.active().filter(pcode=code).first()
    if unit is None:
        raise ValidationError(_("%(code)s is not a p-code of the active boundaries.")
                              % {"code": code or "—"})  # fmt: skip
    return unit


def _checkboxes(choices, label, required=True) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(choices=choices, label=label, required=required,
                                     widget=forms.CheckboxSelectMultiple)  # fmt: skip


class FocalPointForm(forms.ModelForm):
    pcode = forms.CharField(label=gettext_lazy("Commune (p-code)"), max_length=32)
    settlement_pcode = forms.CharField(label=gettext_lazy("Settlement (p-code, optional)"),
                                       max_length=32, required=False)  # fmt: skip
    languages = _checkboxes(Language.choices, gettext_lazy("Languages spoken"))
    channels = _checkboxes(Channel.choices, gettext_lazy("Contact channels"), required=False)
    consent_given_on = forms.DateField(
        label=gettext_lazy("Consent given on"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    consent_scope = _checkboxes(ConsentScope.choices, gettext_lazy("The person agreed to"),
                                required=False)  # fmt: skip

    class Meta:
        model = FocalPoint
        fields = ["name", "role", "affiliation", "phone", "shared", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["pcode"].initial = self.instance.admin_unit.pcode
            self.fields["languages"].initial = self.instance.languages
            self.fields["channels"].initial = self.instance.channels
            del self.fields["consent_given_on"], self.fields["consent_scope"]
        self.order_fields(["name", "role", "pcode", "settlement_pcode", "languages",
                           "affiliation", "channels", "phone", "consent_given_on",
                           "consent_scope", "shared", "active"])  # fmt: skip

    def clean_pcode(self) -> AdminUnit:
        return _unit(self.cleaned_data["pcode"])

    def clean_settlement_pcode(self) -> Settlement | None:
        code = self.cleaned_data["settlement_pcode"].strip().upper()
        if not code:
            return None
        found = Settlement.objects.active().filter(pcode=code).first()
        if found is None:
            raise ValidationError(_("%(code)s is not a known settlement.") % {"code": code})
        return found

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        return normalise_phone(phone) if phone else ""

    def clean(self):
        data = super().clean()
        if not self.instance.pk and "consent_given_on" in self.fields:
            if not data.get("consent_given_on") or not data.get("consent_scope"):
                raise ValidationError(
                    _("Record the person's consent (date and what they agreed to): nobody is "
                      "registered without it.")
                )  # fmt: skip
            if data["consent_given_on"] > timezone.localdate():
                self.add_error("consent_given_on", _("A consent cannot be dated in the future."))
        settlement, unit = data.get("settlement_pcode"), data.get("pcode")
        if settlement and unit and settlement.admin_unit_id not in (None, unit.pk):
            self.add_error("settlement_pcode", _("The settlement is not in this commune."))
        # The model checks these too (its clean runs after this one).
        self.instance.languages = data.get("languages") or []
        self.instance.channels = data.get("channels") or []
        if unit is not None:
            self.instance.admin_unit = unit
        self.instance.settlement = settlement
        return data

    def save(self, commit: bool = True) -> FocalPoint:
        focal_point = super().save(commit=False)
        focal_point.admin_unit = self.cleaned_data["pcode"]
        focal_point.settlement = self.cleaned_data["settlement_pcode"]
        focal_point.languages = self.cleaned_data["languages"]
        focal_point.channels = self.cleaned_data["channels"]
        if commit:
            focal_point.save()
        return focal_point


class ConsentForm(forms.Form):
    given_on = forms.DateField(label=gettext_lazy("Given on"),
                               widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    scope = _checkboxes(ConsentScope.choices, gettext_lazy("The person agreed to"))

    def clean_given_on(self):
        if self.cleaned_data["given_on"] > timezone.localdate():
            raise ValidationError(_("A consent cannot be dated in the future."))
        return self.cleaned_data["given_on"]


class EngagementForm(forms.ModelForm):
    pcode = forms.CharField(label=gettext_lazy("Place (p-code)"), max_length=32)
    eore_reference = forms.CharField(
        label=gettext_lazy("Risk education session relayed (reference, optional)"),
        max_length=32, required=False,
    )  # fmt: skip

    def clean_eore_reference(self):

        reference = self.cleaned_data["eore_reference"].strip().upper()
        if not reference:
            return None
        session = EoreSession.objects.filter(reference=reference).first()
        if session is None:
            raise ValidationError(_("No risk education session %(ref)s.") % {"ref": reference})
        return session

    class Meta:
        model = Engagement
        fields = ["kind", "date", "notes"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}),
                   "notes": forms.Textarea(attrs={"rows": 2})}  # fmt: skip

    def clean_pcode(self) -> AdminUnit:
        return _unit(self.cleaned_data["pcode"])


class AlertForm(forms.ModelForm):
    pcode = forms.CharField(label=gettext_lazy("Place (p-code)"), max_length=32)

    class Meta:
        model = Alert
        fields = ["kind", "channel", "reported_at", "longitude", "latitude", "device",
                  "description"]  # fmt: skip
        widgets = {"reported_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
                   "description": forms.Textarea(attrs={"rows": 3})}  # fmt: skip

    def clean_pcode(self) -> AdminUnit:
        return _unit(self.cleaned_data["pcode"])

    def clean_reported_at(self):
        when = self.cleaned_data["reported_at"]
        if when > timezone.now():
            raise ValidationError(_("An alert cannot come from the future."))
        return when

    def clean(self):
        data = super().clean()
        if (data.get("longitude") is None) != (data.get("latitude") is None):
            raise ValidationError(_("Give both the longitude and the latitude, or neither."))
        return data


AUDIO_SUFFIXES = (".mp3", ".ogg", ".opus", ".wav", ".m4a")
MAX_AUDIO_BYTES = 10 * 1024 * 1024


class KeyMessageForm(forms.ModelForm):
    class Meta:
        model = KeyMessage
        fields = ["key", "language", "title", "text", "audio"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def clean_key(self) -> str:
        key = self.cleaned_data["key"].strip().lower()
        if not key.replace("-", "").replace("_", "").isalnum():
            raise ValidationError(_("A key is letters, digits and dashes, e.g. ne-pas-toucher."))
        return key

    def clean_audio(self):
        audio = self.cleaned_data.get("audio")
        if audio and hasattr(audio, "size"):
            if not audio.name.lower().endswith(AUDIO_SUFFIXES):
                raise ValidationError(_("%(name)s: an audio file is .mp3, .ogg, .opus, .wav or "
                                        ".m4a.") % {"name": audio.name})  # fmt: skip
            if audio.size > MAX_AUDIO_BYTES:
                raise ValidationError(_("%(name)s is larger than 10 MB.") % {"name": audio.name})
            head = audio.read(16)
            audio.seek(0)
            if not is_audio(head, audio.name):
                reason = _("%(name)s is not an audio file of its kind: its content does not "
                           "start as one.")  # fmt: skip
                raise ValidationError(reason % {"name": audio.name})
        return audio


def is_audio(head: bytes, name: str) -> bool:
    """Whether the first bytes are those of the audio format the name says (the
    browser's content type and the name are the sender's word, not the file's)."""
    suffix = name.lower().rsplit(".", 1)[-1]
    if suffix == "mp3":  # an ID3 tag, or an MPEG audio frame sync
        return head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)
    if suffix in ("ogg", "opus"):
        return head[:4] == b"OggS"
    if suffix == "wav":
        return head[:4] == b"RIFF" and head[8:12] == b"WAVE"
    if suffix == "m4a":
        return head[4:8] == b"ftyp"
    return False


class CampaignForm(forms.ModelForm):
    pcodes = forms.CharField(label=gettext_lazy("Communes (p-codes, separated by spaces)"))

    class Meta:
        model = Campaign
        fields = ["name", "message", "channel"]

    def clean_message(self) -> str:
        key = self.cleaned_data["message"].strip().lower()
        if not KeyMessage.objects.filter(key=key, approved_at__isnull=False).exists():
            raise ValidationError(_("No approved version of the message %s.") % key)
        return key

    def clean_pcodes(self) -> list[AdminUnit]:
        return [_unit(code) for code in self.cleaned_data["pcodes"].replace(",", " ").split()]
