from django import template

from kafo.intake.xlsforms import FORM_KINDS

register = template.Library()


@register.simple_tag
def field_forms() -> list[tuple[str, str]]:
    """Kafo's field forms: (kind, title), for the imports page."""
    return [(kind, str(spec.title)) for kind, spec in FORM_KINDS.items()]
