"""The situation page's funding chart (its view is mine action's, which knows no
funding): pledged, committed and disbursed per year, in USD."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kafo.charts import Series, bar_chart
from kafo.funding.models import Transaction
from kafo.funding.summaries import per_year
from kafo.numbers import colon, whole

register = template.Library()


@register.simple_tag
def funding_per_year() -> str:
    """Pledged, committed and disbursed per year (USD), and what the chart leaves out;
    funding flows are public (IATI)."""
    years, pending = per_year(Transaction.objects.all())
    if not years:
        return ""
    shown = sorted(years)

    series = [Series(_("Pledged"), [float(years[y]["pledged"]) for y in shown]),
              Series(_("Committed"), [float(years[y]["committed"]) for y in shown]),
              Series(_("Disbursed"), [float(years[y]["disbursed"]) for y in shown])]  # fmt: skip
    chart = bar_chart([str(y) for y in shown], series, _("Funding per year (USD)"),
                      number=whole, stacked=False, colon=colon())  # fmt: skip
    note = ""
    if pending:
        note = "<p class=\"help\">" + _("%(n)d flows wait for an exchange rate and are not "
                                         "counted.") % {"n": pending} + "</p>"  # fmt: skip
    # The SVG escapes every text it holds; the note's number is an integer.
    return mark_safe(chart + note)
