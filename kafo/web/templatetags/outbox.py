"""`{% client_uuid %}`: the hidden UUID that makes a form sent twice count once
(kafo.security.outbox); the outbox gives each form filled offline a new one."""

import uuid

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def client_uuid() -> str:
    """A hidden `client_uuid` input holding a new UUID."""
    return format_html('<input type="hidden" name="client_uuid" value="{}">', uuid.uuid4())
