from django import forms
from django.utils.translation import gettext as _

from kafo.actors.permissions import can_record_flow
from kafo.currencies.codes import currency_code
from kafo.funding.conversion import apply_rates
from kafo.funding.models import PLEDGES, Transaction
from kafo.response.strategies.forms import SharesField


class TransactionForm(forms.ModelForm):
    splits_text = SharesField()

    class Meta:
        model = Transaction
        fields = [
            "type", "provider", "receiver", "activity", "pledge", "date", "amount", "currency",
            "on_budget", "humanitarian", "description", "source_document",
        ]  # fmt: skip
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["pledge"].queryset = Transaction.objects.filter(type__in=PLEDGES)

    def clean_currency(self) -> str:
        return currency_code(self.cleaned_data["currency"])

    def clean(self):
        data = super().clean()
        provider, receiver = data.get("provider"), data.get("receiver")
        # A new flow entered by hand (imports set their own source; older flows keep theirs).
        if self.instance.pk is None and not (data.get("source_document") or "").strip():
            self.add_error("source_document", _(
                "A flow entered by hand names the document it comes from: the figures "
                "say which come from IATI and which do not."))  # fmt: skip
        if provider and receiver and provider == receiver:
            self.add_error("receiver", _("The receiver is another organisation than the provider."))
        if provider and receiver and not can_record_flow(self.user, provider.pk, receiver.pk):
            self.add_error("provider", _("Record the flows your organisation gives or receives."))
        pledge = data.get("pledge")
        if pledge and provider and pledge.provider_id != provider.pk:
            self.add_error("pledge", _("This pledge was made by another provider."))
        return data

    def save(self, commit: bool = True) -> Transaction:
        """Save with the rates of its date; without one, its conversion stays pending."""
        transaction = super().save(commit=False)
        apply_rates(transaction)
        if commit:
            transaction.save()
        return transaction
