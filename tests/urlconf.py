"""The routes of the URL configuration, for tests generated from it."""

from django.urls import URLPattern, URLResolver, get_resolver


def routes(resolver=None, prefix: str = "", namespace: str = ""):
    """(route, full name) for every view outside the Django admin."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if route.lstrip("^").startswith("admin/"):
            continue  # the Django admin (and its old addresses) has its own login, tested apart
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}{pattern.name}"
