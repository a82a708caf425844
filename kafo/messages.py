"""Extract translatable strings and update the catalogues, without GNU gettext.

`make messages` runs this: it reads `_()`/`gettext` calls in Python and
`{% translate %}`/`{% blocktranslate %}` in templates (through Django's own
templatize), and merges them into kafo/locale/*/LC_MESSAGES/django.po.
"""

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent
LOCALES = ["fr"]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}


CONTEXT_FUNCTIONS = {"pgettext", "pgettext_lazy", "npgettext"}


def _extract(source: str, path: Path):
    """(line, message, context, path) of each call: the context of pgettext (a
    template's `{% translate "…" context "…" %}`) apart from the message."""
    for lineno, function, message, _comments in extract_python(
        io.BytesIO(source.encode()), KEYWORDS, [], {}
    ):
        context = None
        if function in CONTEXT_FUNCTIONS and isinstance(message, tuple):
            context, message = message[0], message[1:]
        yield lineno, message, context, path


def extract_messages() -> Catalog:
    """Every translatable string in the package, with where it is used."""
    from django.utils.translation.template import templatize

    catalog = Catalog(domain="django")
    files = sorted(ROOT.rglob("*.py")) + sorted(ROOT.rglob("templates/**/*.html"))
    for path in files:
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        if path.suffix == ".html":
            # templatize writes gettext() calls among filler text; flush every line left
            # so that Python's tokenizer reads it without indentation errors.
            source = "\n".join(
                line.lstrip() for line in templatize(source, origin=str(path)).splitlines()
            )
        for lineno, message, context, where in _extract(source, path):
            if not message:
                continue
            if isinstance(message, tuple):
                message = tuple(m for m in message if m is not None) or None
                if message and len(message) == 1:
                    message = message[0]
            if message:
                catalog.add(message, locations=[(str(where.relative_to(ROOT.parent)), lineno)],
                            context=context)  # fmt: skip
    return catalog


def untranslated(catalog: Catalog) -> list:
    """The message ids of `catalog` that have no translation (or a partial plural one)."""
    return [
        m.id
        for m in catalog
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]


def catalogue_path(locale: str) -> Path:
    return ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"


def update_catalogues() -> None:
    template = extract_messages()
    for locale in LOCALES:
        path = catalogue_path(locale)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=locale, domain="django")
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True)
        missing = untranslated(catalog)
        print(f"{path}: {len(catalog)} messages, {len(missing)} untranslated")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kafo.settings")
    django.setup()
    update_catalogues()
