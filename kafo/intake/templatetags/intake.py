from django import template

from kafo.intake.xlsforms import FORM_KINDS

register = template.Library()


@register.simple_tag
def field_forms() -> list[tuple[str, str]]:
    """Kafo's field forms: (kind, title), for the imports page."""
    return [(kind, str(spec.title)) for kind, spec in FORM_KINDS.items()]


@register.simple_tag
def open_hazard_count(user) -> int:
    """How many open hazards the user's hazards.csv holds (its link shows its size)."""
    from kafo.intake.xlsforms import open_hazards
    from kafo.mineaction.models import Hazard
    from kafo.security.disclosure import readable

    return open_hazards(readable(user, Hazard.objects.all())).count()


@register.simple_tag
def intake_sources(user) -> list:
    """The intake sources the user follows, with their last pull, counts and error (the
    imports page lists them)."""
    from kafo.intake.models import sources_followed

    return list(sources_followed(user))


@register.simple_tag
def report_attachments(reference: str) -> list:
    """The files sent with the submission a field report came from."""
    from kafo.intake.models import Attachment

    return list(Attachment.objects.filter(submission__field_report=reference).order_by("pk"))
