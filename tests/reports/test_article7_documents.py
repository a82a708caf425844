"""The Ottawa Convention's Article 7 report of a year, drafted from the validated records
and read back as its readers will: the Word file by python-docx (each form's table holds
the records' values), the Excel annex by openpyxl (every row, with its records). Only the
treaty's contamination, only the year; no personal data; an empty year says so."""

import io

import docx
import pytest
from openpyxl import load_workbook

from kafo.reports import treaty


def _word(report) -> docx.document.Document:
    return docx.Document(io.BytesIO(treaty.document(report, "docx")))


def _form_table(document, code: str) -> list[list[str]]:
    """The table following the heading of a form, as its cells' texts."""
    body = document.element.body
    seen = False
    for block in body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in block.iter() if t.tag.endswith("}t"))
            if seen and text.startswith("Formulaire "):
                return []
            seen = seen or text.startswith(f"Formulaire {code}:")
        elif tag == "tbl" and seen:
            table = docx.table.Table(block, document)
            return [[cell.text for cell in row.cells] for row in table.rows]
    return []


def _number(text: str) -> int:
    return int(text.replace("\u202f", "").replace("\xa0", "").replace(" ", ""))


def test_the_forms_hold_the_records_of_the_year(planted):
    report = treaty.report_for("apmbc", 2024)
    document = _word(report)
    mined = {row[0]: row for row in _form_table(document, "C")[1:]}
    # Suspected and confirmed areas of anti-personnel (or improvised) mines only.
    assert set(mined) == {planted["mined"].reference, planted["confirmed"].reference}
    # The remaining area: the estimate less what was released.
    assert _number(mined[planted["mined"].reference][-1]) == 20_000 - 7_655
    assert _number(mined[planted["confirmed"].reference][-1]) == 4_000 - 3_000
    assert "Sévaré" not in mined[planted["confirmed"].reference][1]
    destroyed = {(row[0], row[1]): _number(row[2]) for row in _form_table(document, "G")[1:]}
    assert destroyed[("Mine antipersonnel", "détruit")] == 5
    assert destroyed[("Mine antipersonnel", "remis ou sort inconnu")] == 1
    assert destroyed[("Mine improvisée / EEI activé par la victime", "détruit")] == 2
    assert destroyed[("REG / munition non explosée", "détruit")] == 3
    assert not any("sous-munition" in category.lower() for category, _fate in destroyed)
    assert destroyed[("Zone annulée par enquête non technique (m²)", "")] == 7_655
    assert destroyed[("Zone dépolluée (m²)", "")] == 3_000
    warnings = {row[0]: row for row in _form_table(document, "I")[1:]}
    assert _number(warnings["Séance directe"][1]) == 1  # one session of 2024 by this method
    assert _number(warnings["Médias de masse"][4]) == 100  # its women
    other = {row[0]: _number(row[1]) for row in _form_table(document, "J")[1:]}
    # 1000 × 1.1 for risk education; (2000 + 500 × 0.5) × 1.1 for clearance; the flow
    # without a rate and the health flow are not counted, nor 2023's.
    assert other["Financement reçu (USD) : Éducation aux risques"] == 1_100
    assert other["Financement reçu (USD) : Relevé et dépollution"] == 2_475
    assert other["Services fournis : Réadaptation / prothèses"] == 1
    assert not any("psycho" in item.lower() for item in other)  # declined: not delivered
    text = "\n".join(p.text for p in document.paragraphs)
    assert "1 décaissements attendent un taux de change" in text
    assert "Awa" not in text and "+22370000000" not in text
    for table in document.tables:
        for row in table.rows:
            assert not any("Awa" in cell.text for cell in row.cells)


def test_the_cluster_munitions_report_has_its_own_forms(planted):
    report = treaty.report_for("ccm", 2024)
    forms = treaty.forms_of(report)
    # The CCM's reporting formats: forms A to J, F the contaminated areas and clearance.
    assert [form["code"] for form in forms] == list("ABCDEFGHIJ")
    document = _word(report)
    areas = [row[0] for row in _form_table(document, "F")[1:]]
    assert areas == [planted["cluster"].reference]
    later = {form["code"]: form for form in treaty.forms_of(treaty.report_for("ccm", 2025))}
    # In 2025: 9 submunitions destroyed and 7,000 m² cancelled on the cluster area.
    assert "9 armes à sous-munitions détruites" in later["F"]["note"]
    assert "7\xa0000 m²" in later["F"]["note"]
    assert {row["item"] for row in later["I"]["rows"]} == set()  # no flow in 2025
    assert later["G"]["empty"] and later["J"]["source"] == "text"


def test_the_annex_lists_every_row_with_its_records(planted):
    report = treaty.report_for("apmbc", 2024)
    book = load_workbook(io.BytesIO(treaty.document(report, "xlsx")), read_only=True)
    rows = list(book["C"].iter_rows(values_only=True))
    assert rows[1][-1] == "Fiches"
    assert {row[0] for row in rows[2:]} == {planted["mined"].reference,
                                             planted["confirmed"].reference}  # fmt: skip
    assert all(row[-1] == row[0] for row in rows[2:])  # each row names its record
    cover = list(book["Couverture"].iter_rows(values_only=True))
    assert [row[0] for row in cover[2:]] == [f"Formulaire {c}" for c in "ABCDEFGHIJ"]


def test_a_year_without_records_says_so(planted):
    report = treaty.report_for("apmbc", 2019)
    document = _word(report)
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("Kafo ne détient aucun enregistrement validé pour ce formulaire") == 5
    assert _form_table(document, "C") == [] and _form_table(document, "G") == []


def test_a_long_list_goes_on_in_the_annex(planted, monkeypatch):
    from kafo.reports import documents

    monkeypatch.setattr(documents, "WORD_ROWS", 1)
    report = treaty.report_for("apmbc", 2024)
    document = _word(report)
    assert len(_form_table(document, "C")) == 2  # the header and one row
    text = "\n".join(p.text for p in document.paragraphs)
    assert "1 lignes sur 2 : la liste complète est dans l’annexe Excel, feuille C." in text


@pytest.mark.parametrize("year", [1990, 2999])
def test_a_year_a_report_cannot_cover_is_refused(db, year):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        treaty.report_for("apmbc", year)


def test_the_pdf_reads_back_with_poppler(planted, coordinator, tmp_path):
    import shutil
    import subprocess

    from pypdf import PdfReader

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext, pdftoppm) is not installed; CI installs it")
    report = treaty.report_for("apmbc", 2024)
    # Bambara and Arabic in a text: the fonts Kafo ships must draw them.
    treaty.edit_text(report, "contact", "Bamakɔ, ɲɛgɛn ŋaara · اللجنة الوطنية", coordinator)
    pdf = tmp_path / "a7.pdf"
    pdf.write_bytes(treaty.document(report, "pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert planted["mined"].reference in text and planted["confirmed"].reference in text
    assert "Formulaire J" in text and "2 475" in text.replace("\u202f", " ").replace("\xa0", " ")
    assert "Bamakɔ" in text and "ɲɛgɛn" in text and "ŋaara" in text and "الوطنية" in text
    assert "Awa" not in text and "+22370000000" not in text
    reader = PdfReader(pdf)
    assert len(reader.pages) == 11  # the cover, then a page per form
    fonts = {f["/BaseFont"] for page in reader.pages
             for f in (page["/Resources"].get("/Font") or {}).values()}  # fmt: skip
    assert fonts and all("NotoSans" in str(name) for name in fonts)  # Kafo's, nobody else's
    assert any("NotoSansArabic" in str(name) for name in fonts)  # the Arabic words
    # A page made an image by poppler: not blank.
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-f", "4", "-l", "4", str(pdf),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    (image,) = tmp_path.glob("page*.pgm")
    pixels = image.read_bytes().split(b"\n", 3)[3]
    assert sum(1 for byte in pixels if byte < 128) > 500  # ink: the form's table


def test_a_thousand_hazards_go_to_the_annex(planted):
    from kafo.mineaction.models import Hazard

    template = planted["mined"]
    Hazard.objects.bulk_create(
        Hazard(reference=f"HAZ-9{n:05d}", organisation_id=template.organisation_id,
               classification="sha", status="open", longitude=-4.2, latitude=14.5,
               admin_unit_id=template.admin_unit_id, evidence_type="indirect",
               contamination=["ap_mine"], estimated_area_m2=100, remaining_area_m2=100)
        for n in range(1000)
    )  # fmt: skip
    report = treaty.report_for("apmbc", 2024)
    document = _word(report)
    assert len(_form_table(document, "C")) == 1 + 50  # the header and the first 50
    text = "\n".join(p.text for p in document.paragraphs)
    assert "50 lignes sur 1002 : la liste complète est dans l’annexe Excel, feuille C." in text
    book = load_workbook(io.BytesIO(treaty.document(report, "xlsx")), read_only=True)
    assert sum(1 for _row in book["C"].iter_rows()) == 2 + 1002  # title, header, every row
