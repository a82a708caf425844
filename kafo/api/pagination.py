"""Pages of every list: `limit` (1 to MAX_LIMIT) and `offset` (0 or more). A value that is
not such a number is refused with a 400 and the reason, never ignored or a 500."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
# The parameters a list reads; only these are carried into its next and previous links, so
# that nothing else a caller typed (a victim's name...) is echoed back in an answer.
LIST_PARAMETERS = {"pcode", "sector", "organisation", "start", "end", "limit", "offset",
                   "framework", "format"}  # fmt: skip


class StrictLimitOffsetPagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = MAX_LIMIT

    def _number(self, request, name: str, low: int, high: int | None) -> int | None:
        if name not in request.query_params:
            return None
        text = request.query_params[name].strip()
        if not text.isdecimal() or not text.isascii():
            raise ValidationError({name: [f"{text!r}: a whole number, {low} or more"]})
        value = int(text)
        if value < low or (high is not None and value > high):
            limit = f"{low} to {high}" if high is not None else f"{low} or more"
            raise ValidationError({name: [f"{value}: {limit}"]})
        return value

    def get_limit(self, request) -> int:
        found = self._number(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if found is None else found

    def get_offset(self, request) -> int:
        # An offset past 2^63 cannot be a row of any database.
        found = self._number(request, self.offset_query_param, 0, 2**62)
        return 0 if found is None else found

    def get_next_link(self):
        return _only_list_parameters(super().get_next_link())

    def get_previous_link(self):
        return _only_list_parameters(super().get_previous_link())

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_limit)
            if parameter["name"] == self.offset_query_param:
                parameter["schema"].update(minimum=0, maximum=2**62)
        return parameters


def _only_list_parameters(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k in LIST_PARAMETERS]  # fmt: skip
    return urlunsplit(parts._replace(query=urlencode(kept)))
