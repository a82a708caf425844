"""Numbered paragraphs out of text, Word and PDF documents; clear errors for bad ones."""

import pytest
from docx import Document

from kafo.commitments.paragraphs import (
    DocumentError,
    numbered_paragraphs,
    propose_parties,
    propose_pillar,
    read_text,
)  # fmt: skip

COMMUNIQUE = """COMMUNIQUÉ FINAL DU GROUPE DE CONTACT
Réuni à Djeddah, le Groupe :
1. Salue les efforts du Gouvernement du Mali pour la mise en œuvre de l'Accord,
12 juillet 2019 compris.
2) Appelle la MINUSMA et le HCR à renforcer l'aide aux réfugiés et aux déplacés.
Article 3 : Demande le cantonnement et le désarmement des forces.
§ 4 Encourage le développement économique des régions du nord.
"""


def test_numbering_styles_and_wrapped_lines():
    paragraphs = numbered_paragraphs(COMMUNIQUE)
    assert [p.reference for p in paragraphs] == ["1", "2", "3", "4"]
    assert paragraphs[0].text.endswith("de l'Accord, 12 juillet 2019 compris.")
    assert paragraphs[2].text.startswith("Demande le cantonnement") and paragraphs[2].line == 6


def test_the_same_number_twice_names_both_lines():
    with pytest.raises(DocumentError, match=r"2 appara.t deux fois .lignes 1 et 3"):
        numbered_paragraphs("2. Un\nsuite\n2. Deux")


def test_a_document_without_numbers_says_how_to_number():
    with pytest.raises(DocumentError, match=r"1\., 2\).*Article 3"):
        numbered_paragraphs("Un communiqué sans numéros.\nDeuxième ligne.")


def test_themes_and_parties_are_proposed():
    pillars = [("P1", "Questions politiques et institutionnelles"),
               ("P2", "Défense et sécurité"), ("P3", "Développement socio-économique"),
               ("P4", "Réconciliation, justice et questions humanitaires")]  # fmt: skip
    paragraphs = numbered_paragraphs(COMMUNIQUE)
    assert [propose_pillar(p.text, pillars) for p in paragraphs[1:]] == ["P4", "P2", "P3"]
    organisations = [(1, ["Mission des Nations unies au Mali", "MINUSMA"]),
                     (2, ["Haut Commissariat pour les réfugiés", "HCR"]),
                     (3, ["Médecins du Monde", "MDM"])]  # fmt: skip
    assert propose_parties(paragraphs[1].text, organisations) == [1, 2]


def test_word_documents_are_read(tmp_path):
    document = Document()
    for line in COMMUNIQUE.splitlines():
        document.add_paragraph(line)
    path = tmp_path / "communique.docx"
    document.save(path)
    assert [p.reference for p in numbered_paragraphs(read_text(path))] == ["1", "2", "3", "4"]


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF with these lines of text (Helvetica, WinAnsi)."""
    text = (
        "BT /F1 11 Tf 50 780 Td 14 TL "
        + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
            for line in lines
        )
        + " ET"
    )
    stream = text.encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)  # fmt: skip
    return out


def test_pdf_documents_are_read(tmp_path):
    path = tmp_path / "communique.pdf"
    path.write_bytes(_pdf(["COMMUNIQUE", "1. Salue le Gouvernement.", "2. Appelle au retour."]))
    assert [p.reference for p in numbered_paragraphs(read_text(path))] == ["1", "2"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("vide.docx", b"", "pas un document Word"),
     ("faux.docx", b"PK\x03\x04 not really", "pas un document Word"),
     ("faux.pdf", b"%PDF-1.4 garbage", "pas un PDF"),
     ("scan.pdf", None, "pas de texte"),
     ("ancien.doc", b"\xd0\xcf\x11\xe0", ".docx, .pdf ou .txt"),
     ("binaire.txt", b"\x00\x01\x02", "binaire")],
)  # fmt: skip
def test_bad_documents_get_a_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(_pdf([]) if content is None else content)
    with pytest.raises(DocumentError, match=message):
        read_text(path)
    with pytest.raises(DocumentError, match="aucun fichier"):
        read_text(tmp_path / "absent.txt")
