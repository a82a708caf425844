"""Recognise an organisation from the way partners write its name.

"Handicap International", "HI", "H.I." and "Humanité & Inclusion" must all find the
same organisation. Names are compared after folding case, accents, punctuation and
the words for "and"; acronyms and recorded other names count as names; what is left
is scored with rapidfuzz. A match is `certain` only when it is clear of the next
organisation; an uncertain one goes to a person for review.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

CERTAIN_SCORE = 90.0
CANDIDATE_SCORE = 70.0
MIN_MARGIN = 5.0
# Acronyms of this length or less only match exactly: "HI" is not 80% of "HIS".
SHORT_LABEL = 5

_AND_WORDS = re.compile(r"\b(et|and|y)\b|&")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_PARENTHESISED = re.compile(r"^(?P<name>.*?)\s*[(\[](?P<inner>[^)\]]+)[)\]]\s*$")


def normalise(text: str) -> str:
    """Lower-case ASCII words: 'Humanité & Inclusion' -> 'humanite and inclusion'."""
    folded = unicodedata.normalize("NFKD", text or "")
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    folded = _AND_WORDS.sub(" and ", folded)
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def acronym_key(text: str) -> str:
    """'H.I.' -> 'hi', 'M.A.G' -> 'mag'."""
    return normalise(text).replace(" ", "")


def split_label(text: str) -> list[str]:
    """'Danish Refugee Council (DRC)' -> ['Danish Refugee Council (DRC)', 'Danish...', 'DRC']."""
    labels = [text]
    if match := _PARENTHESISED.match(text.strip()):
        labels += [match["name"], match["inner"]]
    for separator in (" - ", " – ", " / "):
        if separator in text:
            labels += [part for part in text.split(separator) if part.strip()]
    return labels


@dataclass
class Match:
    organisation_id: int | None
    score: float
    method: str  # exact, acronym, fuzzy or none
    certain: bool
    candidates: list[tuple[int, float]] = field(default_factory=list)


class OrganisationMatcher:
    """An index of organisation names, acronyms and other names."""

    def __init__(self, organisations: list[tuple[int, str, str, list[str]]]):
        """`organisations` holds (id, name, acronym, other names) tuples."""
        self.exact: dict[str, set[int]] = {}
        self.acronyms: dict[str, set[int]] = {}
        self.labels: list[str] = []
        self.label_owner: list[int] = []
        for org_id, name, acronym, alt_names in organisations:
            for label in [name, *alt_names]:
                for part in split_label(label):
                    key = normalise(part)
                    if not key:
                        continue
                    self.exact.setdefault(key, set()).add(org_id)
                    self.labels.append(key)
                    self.label_owner.append(org_id)
            if acronym:
                self.acronyms.setdefault(acronym_key(acronym), set()).add(org_id)

    @classmethod
    def from_queryset(cls, queryset) -> "OrganisationMatcher":
        return cls(list(queryset.values_list("id", "name", "acronym", "alt_names")))

    def match(self, text: str) -> Match:
        """The organisation that `text` names, how sure, and the other candidates."""
        parts = [p for p in split_label(text) if normalise(p)]
        if not parts:
            return Match(None, 0.0, "none", False)
        # Exact name or other name first, then an exact acronym.
        for part in parts:
            owners = self.exact.get(normalise(part), set())
            if len(owners) == 1:
                return Match(next(iter(owners)), 100.0, "exact", True)
        for part in parts:
            owners = self.acronyms.get(acronym_key(part), set())
            if len(owners) == 1:
                return Match(next(iter(owners)), 100.0, "acronym", True)
            if len(owners) > 1:
                return Match(None, 100.0, "acronym", False, [(o, 100.0) for o in sorted(owners)])
        best: dict[int, float] = {}
        for part in parts:
            key = normalise(part)
            if len(key.replace(" ", "")) <= SHORT_LABEL:
                continue
            for _, score, index in process.extract(
                key, self.labels, scorer=fuzz.token_sort_ratio, limit=10,
                score_cutoff=CANDIDATE_SCORE,
            ):  # fmt: skip
                owner = self.label_owner[index]
                best[owner] = max(best.get(owner, 0.0), float(score))
        if not best:
            return Match(None, 0.0, "none", False)
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        top_id, top_score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        certain = top_score >= CERTAIN_SCORE and top_score - runner_up >= MIN_MARGIN
        return Match(top_id if certain else None, top_score, "fuzzy", certain, ranked[:5])
