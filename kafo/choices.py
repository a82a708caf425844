"""Choice labels (`get_FOO_display`) read from a table made once per field.

Django rebuilds the table of a field's choices at every call: about 50 µs for the 5W's
sectors, so a fifth of a list page's rendering went into three labels a row. The table
holds the lazy labels, so each call still gives them in the language of the request."""

import functools

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@functools.cache
def _labels(field: models.Field) -> dict:
    return dict(make_hashable(field.flatchoices))


class ChoiceLabels:
    """Mixin for models whose choice labels are shown a row at a time in lists."""

    def _get_FIELD_display(self, field: models.Field) -> str:
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)
