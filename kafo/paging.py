"""Long tables shown a page at a time, so that no page grows with the data: `?page=N`
picks the page (a number that is not one shows the first, one past the end the last, as
Django's paginator does), and the links to the other pages keep the rest of the query."""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

# Rows of a table per page: about 100 kB of HTML for the widest tables.
PER_PAGE = 100


def page_of(request: HttpRequest, rows: Sequence[Any], per_page: int = PER_PAGE,
            name: str = "page") -> dict[str, Any]:  # fmt: skip
    """The page of `rows` the request asks for, as the template `pager.html` reads it:
    `page` (a Django Page: its rows, numbers and neighbours), `page_name` and
    `page_query` (the request's query without the page number, to build the links)."""
    page: Page = Paginator(rows, per_page).get_page(request.GET.get(name))
    query = request.GET.copy()
    query.pop(name, None)
    rest = query.urlencode()
    return {"page": page, "page_name": name, "page_query": f"{rest}&" if rest else ""}
