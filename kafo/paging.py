"""Long tables shown a page at a time, so that no page grows with the data: `?page=N`
picks the page (a number that is not one shows the first, one past the end the last, as
Django's paginator does), and the links to the other pages keep the rest of the query.

A page in the second half of a query is read from its end (`rows_between`): the
database steps over the rows after the page rather than every row before it, so the
last page of a million rows is as quick as the first."""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

from kafo.data_version import counted

# Rows of a table per page: about 100 kB of HTML for the widest tables.
PER_PAGE = 100


def page_of(request: HttpRequest, rows: Sequence[Any], per_page: int = PER_PAGE,
            name: str = "page") -> dict[str, Any]:  # fmt: skip
    """The page of `rows` the request asks for, as the template `pager.html` reads it:
    `page` (a Django Page: its rows, numbers and neighbours), `page_name` and
    `page_query` (the request's query without the page number, to build the links)."""
    if isinstance(rows, QuerySet):
        rows = in_total_order(rows)
    page: Page = FromTheNearerEnd(rows, per_page).get_page(request.GET.get(name))
    query = request.GET.copy()
    query.pop(name, None)
    rest = query.urlencode()
    return {"page": page, "page_name": name, "page_query": f"{rest}&" if rest else ""}


def in_total_order(rows: QuerySet) -> QuerySet:
    """`rows` in their order, ties broken by the primary key: a row is then on one page
    only, and the order read backwards is exactly the order reversed."""
    if not rows.ordered:
        return rows
    ordering = list(rows.query.order_by) or list(rows.model._meta.ordering)
    if not ordering or any(str(key).lstrip("-") in ("pk", rows.model._meta.pk.name)
                           for key in ordering):  # fmt: skip
        return rows
    return rows.order_by(*ordering, "pk")


def rows_between(rows: Any, start: int, stop: int, count: int) -> Any:
    """`rows[start:stop]` of a query of `count` rows in total order (`in_total_order`),
    a query still (the views filter, prefetch and disclose it). In the second half, the
    page's keys are found reading backwards from the end, then its rows by those keys."""
    if not isinstance(rows, QuerySet) or not rows.ordered or start <= count // 2:
        return rows[start:stop]
    stop = min(stop, count)
    if stop <= start:
        return rows.none()
    keys = list(rows.reverse().values_list("pk", flat=True)[count - stop : count - start])
    return rows.filter(pk__in=keys)


class FromTheNearerEnd(Paginator):
    """Django's paginator, with the pages of the second half read from the end, and a
    query's rows counted once per version of the data (`counted`)."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return counted(self.object_list)
        return len(self.object_list)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = rows_between(self.object_list, bottom, top, self.count)
        return Page(rows, number, self)
