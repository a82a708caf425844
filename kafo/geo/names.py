"""Place names as partners write them: "Koulikoro" for the COD's "Koulikouro", "Timbuktu"
for "Tombouctou", "SEGOU" for "Ségou". Names are folded (case, accents, punctuation),
then spelled phonetically (French and English spellings of the same sounds), then scored
with rapidfuzz. Pure Python, no Django.

A name is `exact` when its folded form is a unit's name or other name; `close` when its
phonetic spelling is, or scores at least CLOSE_SCORE and clearly above the next unit.
Close matches are taken, and listed in the batch for a person to check."""

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

CLOSE_SCORE = 80.0
MIN_MARGIN = 10.0
SUGGEST_SCORE = 60.0

_NOT_WORD = re.compile(r"[^a-z0-9]+")
# French and English spellings of one sound, in order (ou before u, c before k...).
_SOUNDS = [
    (re.compile(r"ou"), "u"), (re.compile(r"oo"), "u"), (re.compile(r"ck|qu|q"), "k"),
    (re.compile(r"c(?=[aouklmnrt]|$)"), "k"), (re.compile(r"ph"), "f"), (re.compile(r"dj"), "j"),
    (re.compile(r"y"), "i"), (re.compile(r"w"), "u"), (re.compile(r"([a-z])\1+"), r"\1"),
    (re.compile(r"(?<=[a-z])h"), ""),
]  # fmt: skip


def fold(text: str) -> str:
    """Lower-case ASCII words: 'Ségou-Ville' -> 'segou ville'."""
    folded = unicodedata.normalize("NFKD", text or "")
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def sounds(text: str) -> str:
    """The phonetic spelling of a folded name: 'tombouctou' -> 'tombuktu'."""
    spelled = fold(text)
    for pattern, replacement in _SOUNDS:
        spelled = pattern.sub(replacement, spelled)
    return spelled


@dataclass(frozen=True)
class NameMatch:
    unit: int | None  # the unit's key, None when no unit is named so
    how: str  # exact, close, several or none
    score: float = 0.0
    suggestion: int | None = None  # the closest unit, when none is close enough


class NameIndex:
    """The names (and other names) of a set of units, by key."""

    def __init__(self, units: list[tuple[int, str, list[str]]]):
        """`units` holds (key, name, other names) tuples."""
        self.exact: dict[str, set[int]] = {}
        self.spelled: dict[str, set[int]] = {}
        for key, name, others in units:
            for label in [name, *others]:
                if fold(label):
                    self.exact.setdefault(fold(label), set()).add(key)
                    self.spelled.setdefault(sounds(label), set()).add(key)
        self.labels = list(self.spelled)

    def agrees(self, key: int, name: str) -> bool:
        """Whether `name` names the unit `key` (exactly, or spelled alike)."""
        return key in self.exact.get(fold(name), ()) or key in self.spelled.get(sounds(name), ())

    def match(self, name: str) -> NameMatch:
        """The unit `name` names, and how sure."""
        found = self.exact.get(fold(name), set())
        if len(found) == 1:
            return NameMatch(next(iter(found)), "exact", 100.0)
        if len(found) > 1:
            return NameMatch(None, "several", 100.0)
        found = self.spelled.get(sounds(name), set())
        if len(found) == 1:
            return NameMatch(next(iter(found)), "close", 100.0)
        if len(found) > 1:
            return NameMatch(None, "several", 100.0)
        scored: dict[int, float] = {}
        for label, score, _index in process.extract(
            sounds(name), self.labels, scorer=fuzz.ratio, limit=10, score_cutoff=SUGGEST_SCORE
        ):
            for key in self.spelled[label]:
                scored[key] = max(scored.get(key, 0.0), float(score))
        if not scored:
            return NameMatch(None, "none")
        ranked = sorted(scored.items(), key=lambda item: (-item[1], item[0]))
        top, score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if score >= CLOSE_SCORE and score - runner_up >= MIN_MARGIN:
            return NameMatch(top, "close", score)
        return NameMatch(None, "none", score, suggestion=top)
