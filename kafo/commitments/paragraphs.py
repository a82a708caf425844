"""Numbered paragraphs out of a document (text, Word, PDF), with a proposed theme and the
parties they name — the first step of following up a communiqué or an agreement."""

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from kafo.archives import ArchiveError, check_archive


class DocumentError(ValueError):
    """A document that cannot be read into numbered paragraphs, with where and why."""


@dataclass
class Paragraph:
    reference: str
    text: str
    line: int
    pillar: str | None = None
    parties: list[int] = field(default_factory=list)


# A number that opens a line: "1.", "12)", "1.2.", "3°", "IV." — or, after a word that
# announces it, "Article 5", "Art. 5 :", "§ 3", "Paragraphe 4", "Point 7". A bare number
# must be followed by its mark, so that "12 juillet 2019, …" wrapped from above is not one.
NUMBERED = re.compile(
    r"^\s*(?:"
    r"(?:article|art\.|paragraphe|paragraph|point|§)\s*(?P<named>\d{1,3}(?:\.\d{1,3})*)"
    r"(?:er\b)?\s*[.)°:–-]?"
    r"|(?P<bare>\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6})(?:[.)°]|\.\))"
    r")\s+(?P<text>\S.*)$",
    re.IGNORECASE,
)


def read_text(path: Path) -> str:
    """The text of a .txt/.md, .docx or .pdf file; DocumentError says why it cannot be."""
    if not path.exists():
        raise DocumentError(_("%(path)s: no such file") % {"path": path})
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx_text(path)
    if suffix == ".pdf":
        return _pdf_text(path)
    if suffix in (".doc", ".odt", ".rtf"):
        raise DocumentError(_("%(path)s: save it as .docx, .pdf or .txt first") % {"path": path})
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise DocumentError(_("%(path)s: not a text file (binary content)") % {"path": path})
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(_("%(path)s: unknown text encoding") % {"path": path})


def _docx_text(path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        check_archive(path)
    except ArchiveError as error:
        raise DocumentError(
            _("%(path)s: not a Word document Kafo may open: %(reason)s")
            % {"path": path, "reason": error}
        ) from None
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise DocumentError(
            _("%(path)s: not a Word (.docx) document, or a damaged one") % {"path": path}
        ) from None
    return "\n".join(p.text for p in document.paragraphs)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise DocumentError(_("%(path)s: the PDF is protected by a password") % {"path": path})
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, OSError):
        raise DocumentError(_("%(path)s: not a PDF, or a damaged one") % {"path": path}) from None
    if not text.strip():
        raise DocumentError(
            _("%(path)s: the PDF has no text layer (a scan?): run it through OCR first")
            % {"path": path}
        )
    return text


def numbered_paragraphs(text: str) -> list[Paragraph]:
    """One paragraph per number at the start of a line, with the lines that follow it
    (wrapped text, sub-items); what comes before the first number (title, preamble) is
    left out. The same number twice is an error naming both lines."""
    paragraphs: list[Paragraph] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = NUMBERED.match(line)
        if match:
            reference = (match["named"] or match["bare"]).rstrip(".")
            reference = reference.upper() if reference.isalpha() else reference
            if reference in seen:
                raise DocumentError(
                    _("Paragraph %(ref)s appears twice (lines %(first)s and %(again)s).")
                    % {"ref": reference, "first": seen[reference], "again": number}
                )
            seen[reference] = number
            paragraphs.append(Paragraph(reference, match["text"].strip(), number))
        elif paragraphs:
            paragraphs[-1].text += " " + line
    if not paragraphs:
        raise DocumentError(
            _("No numbered paragraph found: each commitment should start a line with its "
              "number (1., 2), Article 3, § 4…).")
        )  # fmt: skip
    return paragraphs


def plain(text: str) -> str:
    """Lower case without accents, for matching."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Words that point to a theme; a pillar whose name holds the theme's key gets its words.
THEMES = {
    "politi": ["institution", "election", "constitution", "decentralis", "gouvern", "assemblee",
               "representation", "collectivite", "autorites interimaires", "reforme"],
    "securi": ["securite", "defense", "armee", "cantonnement", "desarmement", "ddr",
               "forces", "patrouille", "terroris", "mines", "engins explosifs"],
    "defen": ["defense", "armee", "forces", "militaire", "cantonnement"],
    "develop": ["developpement", "economi", "infrastructure", "sante", "education", "eau",
                "emploi", "investissement", "fonds", "agricol", "routes"],
    "reconcil": ["reconciliation", "dialogue", "cohesion", "verite", "memoire"],
    "justice": ["justice", "impunite", "droits de l'homme", "tribunal", "crimes"],
    "humanit": ["humanitaire", "refugies", "deplaces", "retour", "victimes", "assistance"],
}  # fmt: skip


def propose_pillar(text: str, pillars: list[tuple[str, str]]) -> str | None:
    """The code of the pillar whose themes the paragraph speaks of most, or None."""
    words = plain(text)
    best, best_hits = None, 0
    for code, name in pillars:
        name_plain = plain(name)
        keys = [key for key in THEMES if key in name_plain]
        hits = sum(words.count(word) for key in keys for word in THEMES[key])
        hits += sum(1 for token in re.findall(r"\w{5,}", name_plain) if token in words)
        if hits > best_hits:
            best, best_hits = code, hits
    return best


def propose_parties(text: str, organisations: list[tuple[int, list[str]]]) -> list[int]:
    """The organisations the paragraph names (a name, an acronym or another known name,
    as whole words, whatever the case and accents)."""
    words = f" {re.sub(r'[^a-z0-9]+', ' ', plain(text))} "
    found = []
    for pk, names in organisations:
        for name in names:
            token = re.sub(r"[^a-z0-9]+", " ", plain(name)).strip()
            if len(token) >= 2 and f" {token} " in words:
                found.append(pk)
                break
    return found
