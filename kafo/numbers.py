"""Numbers and labels as the reader's language writes them: figures in whole numbers with
grouped thousands ("12 345" in French), and the colon between a label and its value
(" : " in French). One place for the pages, charts, reports and commands."""

from django.utils import formats
from django.utils.translation import pgettext


def whole(value: float) -> str:
    """A figure rounded to a whole number, its thousands grouped as the language does."""
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


def colon() -> str:
    """Between a label and its value, as the language writes it (" : " in French)."""
    return pgettext("typography: between a label and its value", ": ")
