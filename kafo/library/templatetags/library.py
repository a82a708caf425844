"""`{% learned_here record %}`: on a hazard's, an activity's, an accident's, a campaign's
or a joint plan's page, the library items and lessons learned that come from it (those
the reader may read)."""

from django import template

from kafo.library.services import learned_from

register = template.Library()


@register.inclusion_tag("library/_learned_here.html", takes_context=True)
def learned_here(context, record) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    found = learned_from(user, record) if record is not None and user is not None else {}
    return {"items": found.get("items", []), "lessons": found.get("lessons", [])}
