"""`kafo library add PATH [--title T] [--type TYPE] [--language fr] [--pillar P] [--json]`
prints `{"id": …}`; `kafo library search QUERY [--type TYPE] [--language L] [--json]`
prints `{"results": [{"id", "title", "snippet", "score"}]}`, best first. Refused files
end the command with the reason and no item."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from kafo.library.models import LibraryItem
from tests.library import files


def run(*args) -> str:
    out = io.StringIO()
    call_command("library", *args, stdout=out)
    return out.getvalue()


def test_add_prints_the_new_items_id(db, tmp_path):
    path = files.docx(tmp_path, ["Le marquage des zones dangereuses confirmées."])
    answer = json.loads(run("add", str(path), "--title", "Marquage", "--type", "sop",
                            "--language", "fr", "--pillar", "land_release", "--json"))  # fmt: skip
    item = LibraryItem.objects.get()
    assert answer == {"id": item.pk}
    assert (item.title, item.item_type, item.language, item.pillar) == (
        "Marquage",
        "sop",
        "fr",
        "land_release",
    )
    assert "marquage des zones" in item.text
    assert path.exists()  # the file given is left where it was


def test_search_prints_the_results_best_first(db, tmp_path):
    first = json.loads(run("add", str(files.docx(tmp_path, ["Texte sur le balisage."])),
                           "--title", "Balisage des pistes", "--json"))["id"]  # fmt: skip
    (tmp_path / "other").mkdir()
    other = files.odt(tmp_path / "other", ["Balisage et clôtures."])
    second = json.loads(run("add", str(other), "--title", "Clôtures", "--type", "guideline",
                            "--json"))["id"]  # fmt: skip
    answer = json.loads(run("search", "balisage", "--json"))
    assert [r["id"] for r in answer["results"]] == [first, second]  # the title first
    assert set(answer["results"][0]) == {"id", "title", "snippet", "score"}
    assert "<b>balisage</b>" in answer["results"][0]["snippet"]
    only = json.loads(run("search", "balisage", "--type", "guideline", "--json"))
    assert [r["id"] for r in only["results"]] == [second]
    assert json.loads(run("search", "balisage", "--language", "en", "--json")) == {"results": []}


def test_a_refused_file_ends_the_command_with_the_reason(db, tmp_path, english):
    path = tmp_path / "note.pdf"
    path.write_bytes(b"not a pdf at all")
    with pytest.raises(CommandError, match="is not a PDF file"):
        run("add", str(path), "--json")
    with pytest.raises(CommandError, match="no such file"):
        run("add", str(tmp_path / "absent.pdf"))
    assert not LibraryItem.objects.exists()
