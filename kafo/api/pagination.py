"""Pages of every list: `limit` (1 to MAX_LIMIT) and `offset` (0 or more), or, to walk a
whole list (a copy kept in step, a harvest), `after` (an id): the rows after it in id
order, found through the primary key's index whatever the depth, where an offset makes
the database step over every row before it; its `next` carries the page's last id, so
rows added meanwhile never shift the walk. A value that is not such a number is refused
with a 400 and the reason, never ignored or a 500. An offset in the second half of a list is
read from its end (kafo.paging)."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from kafo.data_version import counted
from kafo.paging import in_total_order, rows_between

MAX_LIMIT = 1000
# The parameters a list reads; only these are carried into its next and previous links, so
# that nothing else a caller typed (a victim's name...) is echoed back in an answer.
LIST_PARAMETERS = {"pcode", "sector", "organisation", "start", "end", "limit", "offset",
                   "after", "framework", "format"}  # fmt: skip
AFTER = "after"


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

    after: int | None = None

    def get_count(self, queryset) -> int:
        return counted(queryset)  # once per version of the data and query

    def paginate_queryset(self, queryset, request, view=None):
        self.after = self._number(request, AFTER, 0, 2**62)
        if self.after is None:
            # As DRF's, with the rows in total order and a deep offset read from the end.
            queryset = in_total_order(queryset)
            self.request, self.limit = request, self.get_limit(request)
            self.count = self.get_count(queryset)
            self.offset = self.get_offset(request)
            if self.count > self.limit and self.template is not None:
                self.display_page_controls = True
            if self.count == 0 or self.offset > self.count:
                return []
            return rows_between(queryset, self.offset, self.offset + self.limit, self.count)
        if self.offset_query_param in request.query_params:
            raise ValidationError({AFTER: ["after or offset, not both"]})
        self.request, self.offset = request, 0
        self.limit = self.get_limit(request)
        self.count = self.get_count(queryset)
        rows = list(queryset.order_by("pk").filter(pk__gt=self.after)[: self.limit + 1])
        self.more, page = len(rows) > self.limit, rows[: self.limit]
        self.last = page[-1].pk if page else None
        return page

    def get_next_link(self):
        if self.after is None:
            return _only_list_parameters(super().get_next_link())
        if not self.more or self.last is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.offset_query_param)
        return _only_list_parameters(replace_query_param(url, AFTER, self.last))

    def get_previous_link(self):
        if self.after is not None:
            return None  # a walk goes forward: its earlier pages are the links already read
        return _only_list_parameters(super().get_previous_link())

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_limit)
            if parameter["name"] == self.offset_query_param:
                parameter["schema"].update(minimum=0, maximum=2**62)
        parameters.append({
            "name": AFTER, "required": False, "in": "query",
            "description": "The rows after this id, in id order (instead of offset): "
                           "follow `next` to walk the whole list.",
            "schema": {"type": "integer", "minimum": 0, "maximum": 2**62},
        })  # fmt: skip
        return parameters


def _only_list_parameters(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k in LIST_PARAMETERS]  # fmt: skip
    return urlunsplit(parts._replace(query=urlencode(kept)))


# An analysis' answer is one object; its lists at the top level are paged together.
ANSWER_LIMIT = 500
ANSWER_MAX_LIMIT = 5000


def page_of_answer(answer: dict, request, parameters: set[str]) -> dict:
    """The answer with each of its top-level lists cut to `limit` items from `offset`
    (ANSWER_LIMIT by default, at most ANSWER_MAX_LIMIT), so that no answer grows with the
    data: a unit's row of the gaps, a pair of the duplications. `paging` says how many
    items each list holds whole (`listed`) and links the next and previous pages while
    any list goes on; following `next` to its end and joining the lists gives the whole
    answer. Counts an engine keeps beside a list (`imprecise_count`) stay as they are.
    The links carry only the analysis' `parameters`, `limit` and `offset`."""
    numbers = StrictLimitOffsetPagination()
    limit = numbers._number(request, "limit", 1, ANSWER_MAX_LIMIT) or ANSWER_LIMIT
    offset = numbers._number(request, "offset", 0, 2**62) or 0
    listed = {key: len(value) for key, value in answer.items() if isinstance(value, list)}
    paged = {key: value[offset : offset + limit] if key in listed else value
             for key, value in answer.items()}  # fmt: skip
    parts = urlsplit(request.build_absolute_uri())
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k in parameters or k in ("limit", "offset")]  # fmt: skip
    url = urlunsplit(parts._replace(query=urlencode(kept)))
    more = any(length > offset + limit for length in listed.values())
    paged["paging"] = {
        "limit": limit, "offset": offset, "listed": listed,
        "next": replace_query_param(url, "offset", offset + limit) if more else None,
        "previous": (replace_query_param(url, "offset", max(0, offset - limit))
                     if offset else None),
    }  # fmt: skip
    return paged
