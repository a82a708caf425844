"""French first: every string the code can show has a French translation."""

from babel.messages.pofile import read_po

from kafo.messages import catalogue_path, extract_messages, untranslated


def _french():
    with catalogue_path("fr").open("rb") as handle:
        return read_po(handle, locale="fr")


def test_every_string_in_the_code_is_in_the_french_catalogue():
    french = _french()
    # A message with a context (pgettext) is its own entry: looked up with its context.
    missing = [m.id for m in extract_messages()
               if m.id and french.get(m.id, context=m.context) is None]  # fmt: skip
    assert missing == [], "run `make messages` and translate the new strings"


def test_every_message_of_the_french_catalogue_is_translated():
    assert untranslated(_french()) == []


def test_no_translation_is_marked_fuzzy():
    assert [m.id for m in _french() if m.id and m.fuzzy] == []
