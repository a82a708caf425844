"""French full-text search over the library, the same on PostgreSQL and SQLite.

What a French reader expects: accents and case do not matter ("deminage" finds
"Déminage"), words are reduced to their stem ("dépollution" finds "dépolluer"), a phrase
in quotes is found as a phrase, `-mot` excludes, `ou`/`or` offers alternatives, and the
passages are shown with the words found highlighted; an entry whose title holds the
words comes before one whose text only does.

- PostgreSQL: a text search configuration `kafo_fr` (French, with `unaccent` before the
  French Snowball stemmer), a GIN index on the entries' weighted vectors (title A, text
  B), `websearch_to_tsquery` and `ts_rank`.
- SQLite: an FTS5 index of the entries' words already folded and stemmed here with the
  same Snowball stemmer (PyStemmer), the same stop words, and bm25 (title weighed 10).

Each entry (`SearchEntry`) keeps its title and text as written, for the passages.
"""

import functools
import html
import re
import unicodedata
from dataclasses import dataclass

import Stemmer
from django.db import connection

CONFIG = "kafo_fr"
# PostgreSQL's French stop words (tsearch_data/french.stop). Its stemmer checks them after
# `unaccent` has taken the accents off, so those written with accents never match there:
# only the others are stop words, on both databases.
_FRENCH_STOP = (
    "au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me mes "
    "moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi "
    "ton tu un une vos votre vous c d j l m n s t y suis es est sommes sont serai seras sera "
    "serons serez seront serais serait serions seriez seraient fus fut furent sois soit "
    "soyons soyez soient fusse fusses fussions fussiez fussent ayant ayante ayantes ayants eu "
    "eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait "
    "aurions auriez auraient avais avait avions aviez avaient eut eurent aie aies ait ayons "
    "ayez aient eusse eusses eussions eussiez eussent"
)
STOP_WORDS = frozenset(_FRENCH_STOP.split())
# Where PostgreSQL's tsvector stops (1 MB): the text indexed is cut well before.
INDEXED_CHARS = 400_000
_WORD = re.compile(r"\w+")
_QUERY = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_ALTERNATIVE = {"or", "ou"}


@functools.lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("french")


def fold(text: str) -> str:
    """Lower case, accents off: "Dépollution" → "depollution"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def stems(text: str) -> list[str]:
    """The indexed words of a text, in order: folded, stop words out, stemmed."""
    words = [w for w in _WORD.findall(fold(text)) if w not in STOP_WORDS]
    return _stemmer().stemWords(words)


@dataclass(frozen=True)
class Query:
    """A query as a reader writes it: groups of alternatives (each a word or a phrase, as
    stems), all groups required; and excluded words or phrases."""

    required: tuple[tuple[tuple[str, ...], ...], ...]
    excluded: tuple[tuple[str, ...], ...]

    @property
    def empty(self) -> bool:
        return not self.required

    @property
    def words(self) -> set[str]:
        """Every stem the reader looks for (to highlight)."""
        return {stem for group in self.required for phrase in group for stem in phrase}


def parse(text: str) -> Query:
    """Words, "phrases in quotes", -excluded and `ou`/`or` between alternatives, as
    PostgreSQL's websearch_to_tsquery reads them."""
    required: list[list[tuple[str, ...]]] = []
    excluded: list[tuple[str, ...]] = []
    alternative = False
    for match in _QUERY.finditer(text):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and fold(word) in _ALTERNATIVE and required:
            alternative = True
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negated, word = "-", word[1:]
        found = tuple(stems(phrase if phrase is not None else word or ""))
        if not found:
            continue
        if negated:
            excluded.append(found)
        elif alternative and required:
            required[-1].append(found)
        else:
            required.append([found])
        alternative = False
    return Query(tuple(tuple(group) for group in required), tuple(excluded))


def _fts5(query: Query) -> str:
    """The FTS5 expression of a query (stems are words: quoting them is safe)."""

    def phrase(words: tuple[str, ...]) -> str:
        return '"' + " ".join(words) + '"'

    groups = ["(" + " OR ".join(phrase(p) for p in group) + ")" for group in query.required]
    expression = " AND ".join(groups)
    for words in query.excluded:
        expression += " NOT " + phrase(words)
    return expression


def matches(text: str) -> list[tuple[str, int, float]]:
    """The entries matching a query, as (kind, object id, score), best first: those whose
    title holds every required word or phrase before the others, then by score. An empty
    query (only stop words, or only exclusions) matches nothing."""
    query = parse(text)
    if query.empty:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT e.kind, e.object_id, ts_rank('{{0.1, 0.2, 0.4, 1.0}}', {VECTOR}, q), "
                f"e.stemmed_title FROM library_searchentry e, "
                f"websearch_to_tsquery('{CONFIG}', %s) q WHERE {VECTOR} @@ q",
                [_websearch(text)],
            )
        else:
            cursor.execute(
                "SELECT e.kind, e.object_id, -bm25(library_search_fts, 10.0, 1.0), "
                "e.stemmed_title FROM library_search_fts JOIN library_searchentry e "
                "ON e.id = library_search_fts.rowid WHERE library_search_fts MATCH %s",
                [_fts5(query)],
            )
        rows = cursor.fetchall()
    found = [(kind, int(object_id), float(score), _holds(query, title.split()))
             for kind, object_id, score, title in rows]  # fmt: skip
    found.sort(key=lambda row: (not row[3], -row[2], row[0], row[1]))
    return [(kind, object_id, score) for kind, object_id, score, _in_title in found]


def _websearch(text: str) -> str:
    """The query for websearch_to_tsquery, the French "ou" read as its "or"."""
    parts = []
    for match in _QUERY.finditer(text):
        word = match.group(3)
        parts.append("or" if word is not None and fold(word) in _ALTERNATIVE else match.group(0))
    return " ".join(parts)


def _holds(query: Query, words: list[str]) -> bool:
    """Whether these stems hold every required group (one of its words or phrases)."""
    joined = " " + " ".join(words) + " "
    return all(any(" " + " ".join(phrase) + " " in joined for phrase in group)
               for group in query.required)  # fmt: skip


# The vector PostgreSQL indexes (the GIN index is on this very expression).
VECTOR = (
    f"(setweight(to_tsvector('{CONFIG}', e.title), 'A') || "
    f"setweight(to_tsvector('{CONFIG}', e.body), 'B'))"
)


def passage(text: str, text_query: str, *, words: int = 32) -> list[tuple[str, bool]]:
    """The passage of `text` holding most of the query's words, as (piece, found) pieces:
    the words found are the pieces marked True. The start of the text when none is."""
    wanted = parse(text_query).words
    tokens = [t.group() for t in re.finditer(r"\w+|\W+", text[:INDEXED_CHARS])]
    at = [i for i, token in enumerate(tokens) if _WORD.fullmatch(token)]  # words' places
    hits = [n for n, i in enumerate(at) if _hit(tokens[i], wanted)]  # numbers of the words
    first = 0
    if hits:  # the window of `words` words holding most hits, a third of it before one
        starts = [max(0, n - words // 3) for n in hits]
        first = max(starts, key=lambda s: sum(1 for n in hits if s <= n < s + words))
    shown = at[first : first + words]
    if not shown:
        return [(text[:200], False)] if text else []
    start, end = (shown[0], shown[-1] + 1)
    found = {at[n] for n in hits}
    pieces = [(tokens[i], i in found) for i in range(start, end)]
    if start > 0:
        pieces.insert(0, ("… ", False))
    if end < len(tokens):  # the rest: its punctuation, or "…" when words follow
        pieces.append((" …", False) if end <= at[-1] else ("".join(tokens[end:]), False))
    return pieces


def _hit(word: str, wanted: set[str]) -> bool:
    folded = fold(word)
    return folded not in STOP_WORDS and _stemmer().stemWord(folded) in wanted


def highlighted_html(pieces: list[tuple[str, bool]]) -> str:
    """A passage as HTML, the words found in <mark>."""
    return "".join(f"<mark>{html.escape(p)}</mark>" if found else html.escape(p)
                   for p, found in pieces)  # fmt: skip


def highlighted_text(pieces: list[tuple[str, bool]]) -> str:
    """A passage as text, the words found between <b> and </b> (as PostgreSQL's
    ts_headline writes them)."""
    return "".join(f"<b>{p}</b>" if found else p for p, found in pieces)
