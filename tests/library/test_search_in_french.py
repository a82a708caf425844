"""Search in French as a reader expects it, the same on SQLite (FTS5, stems made by
PyStemmer) and PostgreSQL (unaccent, French Snowball, GIN, websearch): every hit and miss
below is decided by the corpus of tests/library/conftest.py, not by the code."""

import datetime

from kafo.library.services import Filters, search
from kafo.security.disclosure import Audience

COORDINATION = Audience(role="coordinator")
NONE = Filters()


def titles(query: str, filters: Filters = NONE, viewer=COORDINATION) -> list[str]:
    return [hit.record.title for hit in search(viewer, query, filters, kinds=("item",))]


def keys(corpus, query: str, filters: Filters = NONE, viewer=COORDINATION) -> set[str]:
    by_title = {item.title: key for key, item in corpus.items()}
    return {by_title[title] for title in titles(query, filters, viewer)}


def test_accents_and_case_do_not_matter(corpus):
    assert keys(corpus, "deminage") == {"sop"}
    assert keys(corpus, "DÉMINAGE") == {"sop"}
    assert keys(corpus, "éducation") == keys(corpus, "EDUCATION") == {"eore"}


def test_words_are_found_by_their_stem(corpus):
    # "dépollution" finds "dépolluer", and the other way round.
    assert keys(corpus, "dépollution") == {"guide", "sop", "secret"}
    assert keys(corpus, "dépolluer") == {"guide", "sop", "secret"}
    assert keys(corpus, "écoles") == keys(corpus, "école") == {"eore"}


def test_a_phrase_in_quotes_is_found_as_a_phrase(corpus):
    # Both words are in the guide's title, but not one after the other.
    assert keys(corpus, "terres dépollution") == {"guide", "sop"}
    assert keys(corpus, '"dépollution des terres"') == {"guide", "sop"}
    assert keys(corpus, '"terres dépollution"') == set()


def test_excluded_words_and_alternatives(corpus):
    assert keys(corpus, "dépollution -gao") == {"guide", "sop"}
    assert keys(corpus, "affiches ou neutralisation") == {"eore", "sop"}
    assert keys(corpus, "affiches neutralisation") == set()


def test_stop_words_alone_find_nothing(corpus):
    assert titles("de la des") == []
    assert titles("-dépollution") == []


def test_filters(corpus):
    assert keys(corpus, "dépollution", Filters(item_type="sop")) == {"sop"}
    assert keys(corpus, "dépollution", Filters(pillar="land_release")) == {"guide", "secret"}
    assert keys(corpus, "clearance", Filters(language="en")) == {"english"}
    assert keys(corpus, "clearance", Filters(language="fr")) == set()
    assert keys(corpus, "affiches", Filters(country="BF")) == {"eore"}
    assert keys(corpus, "dépollution", Filters(country="NE")) == set()
    since_2024 = Filters(published_from=datetime.date(2024, 1, 1))
    assert keys(corpus, "dépollution", since_2024) == {"guide"}
    until_2023 = Filters(published_to=datetime.date(2023, 12, 31))
    assert keys(corpus, "dépollution", until_2023) == {"sop"}


def test_the_title_ranks_first(corpus):
    # The guide and the secret note have the word in their titles; the procedure only in
    # its text, twice: it still comes after them.
    found = titles("dépollution")
    assert found[-1] == corpus["sop"].title
    assert set(found[:2]) == {corpus["guide"].title, corpus["secret"].title}


def test_passages_highlight_the_words_found(corpus):
    (hit,) = search(COORDINATION, "déminage", kinds=("item",))
    assert "<b>DÉMINAGE</b>" in hit.text
    assert "<mark>DÉMINAGE</mark>" in hit.html
    (hit,) = search(COORDINATION, "récolte", kinds=("item",))
    assert "<b>récolte</b>" in hit.text and hit.text.startswith("Ce guide")


def test_passages_are_escaped_in_html(db, organisation):
    from kafo.library.models import LibraryItem

    LibraryItem.objects.create(title="Fiche", item_type="form", confidentiality=0,
                               text="<script>alert(1)</script> balisage")  # fmt: skip
    (hit,) = search(COORDINATION, "balisage", kinds=("item",))
    assert "<script" not in hit.html and "&lt;/script&gt;" in hit.html


def test_each_reader_finds_only_what_they_may_read(corpus, user_with_role, organisation):
    donor = Audience(role="donor_viewer")
    partner = Audience(role="partner_viewer", organisation_id=organisation("DRC").pk)
    owner = Audience(role="partner_viewer", organisation_id=corpus["secret"].organisation_id)
    assert "secret" not in keys(corpus, "dépollution", viewer=donor)
    assert "secret" not in keys(corpus, "dépollution", viewer=partner)
    assert "secret" in keys(corpus, "dépollution", viewer=owner)


def test_lessons_are_searched_too(corpus, lesson):
    hits = search(COORDINATION, "puits")
    assert [(hit.kind, hit.record.pk) for hit in hits] == [("lesson", lesson.pk)]
    assert search(Audience(role="donor_viewer"), "puits") == []  # lessons for partners


def test_the_index_follows_changes_and_deletions(corpus):
    guide = corpus["guide"]
    guide.title = "Guide du balisage"
    guide.text = "Poser les piquets."
    guide.save()
    assert "guide" not in keys(corpus, "récolte")
    assert titles("piquets") == ["Guide du balisage"]
    guide.delete()
    assert titles("piquets") == []
