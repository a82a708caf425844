"""An Article 7 report as the files a State sends and keeps: Word (python-docx), in the
layout of the treaty's reporting forms (a cover page naming each form changed or
unchanged since the last report, then form by form, a table of the figures and the
text); PDF for reading (Typst, from the same content, with the fonts Kafo ships); and
Excel (openpyxl, write-only) with every form's full list, the annex of long lists. A
form longer than WORD_ROWS in Word or PDF goes on in the annex, whole."""

import io
import json
from pathlib import Path
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kafo.geo.models import CodVersion
from kafo.numbers import whole
from kafo.reports.models import TreatyReport

WORD_ROWS = 50
HERE = Path(__file__).resolve().parent
FONTS = HERE / "fonts"  # Noto Sans (Latin with ɛ ɔ ɲ ŋ) and Noto Sans Arabic


def country_name() -> str:
    """The country of the active boundaries (its ISO name), for the cover page."""
    import pycountry

    version = CodVersion.objects.filter(is_active=True).first()
    country = pycountry.countries.get(alpha_3=version.country.upper()) if version else None
    return country.name if country else (version.country if version else "—")


def cell_text(value: Any) -> str:
    """A table cell's text: a figure in whole numbers, grouped; anything else as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return whole(value)
    return "" if value is None else str(value)


def _cover_rows(report: TreatyReport, forms: list[dict], changes: dict[str, str]) -> list:
    return [(f"{_('Form')} {form['code']}", form["title"], changes.get(form["code"], ""))
            for form in forms]  # fmt: skip


def word(report: TreatyReport, forms: list[dict], changes: dict[str, str]) -> bytes:
    """The report as a .docx: the cover page, then each form."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    document.add_heading(report.get_treaty_display(), level=0)
    document.add_paragraph(_("Article 7 report"))
    start, end = f"01/01/{report.year}", f"31/12/{report.year}"
    submitted = report.submitted_at or timezone.now()
    cover = document.add_table(rows=0, cols=2)
    cover.style = "Table Grid"
    when = (formats.date_format(submitted, "SHORT_DATE_FORMAT") if report.submitted_at
            else _("draft, not submitted"))  # fmt: skip
    for label, value in ((_("State Party"), country_name()),
                         (_("Reporting period"), _("from %(start)s to %(end)s")
                          % {"start": start, "end": end}),
                         (_("Date of submission"), when),
                         (_("Contact"), report.texts.get("contact", ""))):  # fmt: skip
        cells = cover.add_row().cells
        cells[0].text, cells[1].text = str(label), str(value)
    document.add_paragraph()
    summary = document.add_table(rows=1, cols=3)
    summary.style = "Table Grid"
    titles = (_("Form"), _("Title"), _("Since the last report"))
    for cell, title in zip(summary.rows[0].cells, titles, strict=True):
        cell.text = str(title)
    for row in _cover_rows(report, forms, changes):
        cells = summary.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
    for form in forms:
        document.add_page_break()
        document.add_heading(f"{_('Form')} {form['code']}: {form['title']}", level=1)
        if form["note"]:
            document.add_paragraph(form["note"])
        if form["source"] != "text":
            _word_table(document, form)
        if form["source"] != "records":
            document.add_paragraph(form["text"] or _("Nothing written yet."))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _word_table(document, form: dict) -> None:
    if form["empty"]:
        document.add_paragraph(_("Kafo holds no validated record for this form in this year."))
        return
    columns = form["columns"]
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, (_key, label) in zip(table.rows[0].cells, columns, strict=True):
        cell.text = label
    for row in form["rows"][:WORD_ROWS]:
        cells = table.add_row().cells
        for cell, (key, _label) in zip(cells, columns, strict=True):
            cell.text = cell_text(row.get(key))
    if len(form["rows"]) > WORD_ROWS:
        document.add_paragraph(_("%(shown)d of %(total)d rows: the full list is in the Excel "
                                 "annex, sheet %(sheet)s.") % {"shown": WORD_ROWS,
                                 "total": len(form["rows"]), "sheet": form["code"]})  # fmt: skip
    totals = {key: value for key, value in form["totals"].items() if value}
    if totals:
        document.add_paragraph(
            _("Totals: %(totals)s")
            % {"totals": ", ".join(f"{key} {cell_text(value)}" for key, value in totals.items())}
        )


def excel(report: TreatyReport, forms: list[dict], changes: dict[str, str]) -> bytes:
    """The annex: a cover sheet, then one sheet per form with rows, each whole, with
    the references of the records behind each row."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    cover = book.create_sheet(_("Cover"))
    cover.append([str(report), country_name()])
    cover.append([_("Form"), _("Title"), _("Since the last report")])
    for row in _cover_rows(report, forms, changes):
        cover.append(list(row))
    for form in forms:
        if form["source"] == "text":
            continue
        sheet = book.create_sheet(form["code"])
        sheet.append([f"{_('Form')} {form['code']}: {form['title']}"])
        if form["empty"]:
            sheet.append([_("Kafo holds no validated record for this form in this year.")])
            continue
        sheet.append([label for _key, label in form["columns"]] + [_("Records")])
        for row in form["rows"]:
            behind = [reference for _kind, reference in row.get("records", [])]
            behind += [f"transaction {pk}" for pk in row.get("transactions", [])]
            sheet.append([row.get(key) for key, _label in form["columns"]] + [" ".join(behind)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(report: TreatyReport, forms: list[dict], changes: dict[str, str]) -> bytes:
    """The report as a PDF (A4), typeset by Typst from the same content as the Word
    file, with Kafo's own fonts only (the same PDF on any machine)."""
    import typst
    from django.utils.translation import get_language

    shown = []
    for form in forms:
        rows = form["rows"][:WORD_ROWS]
        more = ""
        if len(form["rows"]) > WORD_ROWS:
            more = _("%(shown)d of %(total)d rows: the full list is in the Excel annex, sheet "
                     "%(sheet)s.") % {"shown": WORD_ROWS, "total": len(form["rows"]),
                                      "sheet": form["code"]}  # fmt: skip
        shown.append({
            "heading": f"{_('Form')} {form['code']}: {form['title']}", "note": form["note"],
            "table": form["source"] != "text", "empty": form["empty"],
            "header": [label for _key, label in form["columns"]],
            "rows": [[cell_text(row.get(key)) for key, _label in form["columns"]] for row in rows],
            "more": more, "text_shown": form["source"] != "records",
            "text": form["text"] or _("Nothing written yet."),
        })  # fmt: skip
    when = (formats.date_format(report.submitted_at, "SHORT_DATE_FORMAT") if report.submitted_at
            else _("draft, not submitted"))  # fmt: skip
    data = {
        "title": f"{report.get_treaty_display()} · {_('Article 7 report')} {report.year}",
        "treaty": report.get_treaty_display(), "subtitle": _("Article 7 report"),
        "lang": (get_language() or "fr")[:2],
        "cover": [[str(_("State Party")), country_name()],
                  [str(_("Reporting period")), _("from %(start)s to %(end)s")
                   % {"start": f"01/01/{report.year}", "end": f"31/12/{report.year}"}],
                  [str(_("Date of submission")), str(when)],
                  [str(_("Contact")), report.texts.get("contact", "")]],
        "summary_header": [_("Form"), _("Title"), _("Since the last report")],
        "summary": [[str(cell) for cell in row] for row in _cover_rows(report, forms, changes)],
        "forms": shown,
        "no_record": _("Kafo holds no validated record for this form in this year."),
    }  # fmt: skip
    return typst.compile(str(HERE / "typst" / "article7.typ"), font_paths=[str(FONTS)],
                         ignore_system_fonts=True, format="pdf",
                         sys_inputs={"data": json.dumps(data, ensure_ascii=False)})  # fmt: skip


def sections_word(title: str, subtitle: str, sections: list[dict]) -> bytes:
    """A report in sections of (label, value) rows, as a .docx (the country profile)."""
    from docx import Document

    document = Document()
    document.add_heading(title, level=0)
    document.add_paragraph(subtitle)
    for section in sections:
        document.add_heading(section["title"], level=1)
        if section["empty"]:
            document.add_paragraph(section["empty"])
        else:
            table = document.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for label, value, _link in section["rows"]:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = label, value
        if section.get("note"):
            document.add_paragraph(section["note"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def sections_pdf(title: str, subtitle: str, sections: list[dict]) -> bytes:
    """The same, as a PDF typeset by Typst with Kafo's fonts."""
    import typst
    from django.utils.translation import get_language

    data = {"title": title, "subtitle": subtitle, "footer": title,
            "lang": (get_language() or "fr")[:2],
            "sections": [{"title": s["title"], "empty": s["empty"], "note": s.get("note", ""),
                          "rows": [[label, value] for label, value, _link in s["rows"]]}
                         for s in sections]}  # fmt: skip
    return typst.compile(str(HERE / "typst" / "sections.typ"), font_paths=[str(FONTS)],
                         ignore_system_fonts=True, format="pdf",
                         sys_inputs={"data": json.dumps(data, ensure_ascii=False)})  # fmt: skip
