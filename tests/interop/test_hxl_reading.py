"""Reading HXL: the tag row under header rows, free attribute order, legacy tags,
and a clear error for every kind of broken file."""

import json

import pytest

from kafo.interop.hxl import Hashtag, HxlError, read_hxl


def test_the_tag_row_can_sit_under_several_header_rows(tmp_path):
    path = tmp_path / "5w.csv"
    path.write_text(
        "Titre du 5W,,\nOrganisation,Région,Notes\n#org +impl,#adm1+code,\nHI,ML05,x\n",
        encoding="utf-8",
    )
    table = read_hxl(path)
    assert len(table.headers) == 2 and table.first_row == 4
    assert table.hashtags[2] is None  # an untagged column is kept, not imported
    assert table.column("#org+impl") == 0 and table.label(1) == "#adm1+code (Région)"


def test_attribute_order_is_free_and_case_is_ignored():
    assert Hashtag.parse("#Reached +m +Children") == Hashtag.parse("#reached+children+m")
    assert Hashtag.parse("#reached+children+m").matches("#reached+m")
    assert Hashtag.parse("not a tag") is None and Hashtag.parse("#org++impl") is None


def test_hxl_1_0_tags_are_read():
    assert Hashtag.parse("#activity_id") == Hashtag("activity", frozenset({"id"}))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.csv", b"\x00\x01binary\x00", "binaire"),
        ("b.csv", b"Nom,Lieu\nHI,Mopti\n", "aucune ligne de hashtags"),
        ("c.json", b"[[1, 2", "JSON invalide"),
        ("d.json", json.dumps({"not": "rows"}).encode(), "liste de lignes"),
        ("e.xlsx", b"PK\x03\x04 not really a zip", "XLSX illisible"),
        ("f.csv", b"#org,#sector\n" + b"x" * 20_000 + b",y\n", "plus de 10000 caract"),
    ],
    ids=["binary", "no-tags", "broken-json", "json-shape", "broken-xlsx", "giant-cell"],
)
def test_broken_files_get_a_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(HxlError, match=message):
        read_hxl(path)


def test_windows_1252_files_are_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("#org;#adm1\nSanté Plus;Ségou\n".encode("cp1252"))
    assert read_hxl(path).rows == [["Santé Plus", "Ségou"]]


def test_xlsx_is_read(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Organisation", "Région"])
    book.active.append(["#org+impl", "#adm1+name"])
    book.active.append(["HI", "Mopti"])
    book.save(tmp_path / "5w.xlsx")
    table = read_hxl(tmp_path / "5w.xlsx")
    assert table.rows == [["HI", "Mopti"]] and table.column("#adm1") == 1
