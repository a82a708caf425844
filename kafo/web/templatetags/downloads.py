"""`{% download_size "app:view" "csv" rows %}`: a download link's expected size, as
"(≈ 1,2 Mo)" (kafo.security.download_sizes); `{% file_size bytes %}` an exact one."""

from django import template

from kafo.security.download_sizes import estimate, size_label

register = template.Library()


@register.simple_tag
def download_size(view: str, fmt: str, rows: int | None = 1) -> str:
    """The expected size of `view`'s file in `fmt` with `rows` rows (or documents)."""
    return size_label(estimate(view, fmt, int(rows or 0)))


@register.simple_tag
def file_size(size: int | None) -> str:
    """A file's exact size."""
    return size_label(int(size or 0), exact=True)
