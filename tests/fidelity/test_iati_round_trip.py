"""An imported IATI activity is published back as it was written (hierarchy, quarterly
budgets, locations, every sector, other identifiers, documents, results, tags and the
languages of its texts), compared with lxml's canonical form of the file's own element;
an activity edited in Kafo changes only what was edited."""

import pytest
from lxml import etree

from kafo.interop.iati_export import write_iati
from kafo.interop.iati_import import import_iati
from kafo.response.models import Activity
from tests.conftest import shared_data

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]
FILES = ["iati/dportal_69.xml", "iati/dportal_94.xml", "iati/dportal_14.xml"]


def _canonical(element) -> bytes:
    return etree.tostring(element, method="c14n")


def _by_identifier(path) -> dict[str, etree._Element]:
    root = etree.parse(str(path)).getroot()
    return {a.findtext("iati-identifier"): a for a in root.iter("iati-activity")}


@pytest.mark.parametrize("name", FILES)
def test_an_imported_activity_is_published_back_as_written(tmp_path, name):
    path = shared_data(name)
    import_iati(path, country="ML")
    out = tmp_path / "back.xml"
    written, _left_out = write_iati(out, Activity.objects.all())
    assert written == Activity.objects.count() > 0
    original, published = _by_identifier(path), _by_identifier(out)
    for identifier, element in published.items():
        assert _canonical(element) == _canonical(original[identifier]), identifier


def test_an_edited_activity_changes_only_what_was_edited(tmp_path):
    path = shared_data("iati/dportal_14.xml")
    import_iati(path, country="ML")
    activity = Activity.objects.get(source_id="FR-3-CZZ236101")
    activity.title = "Titre revu dans Kafo"
    activity.save()
    out = tmp_path / "back.xml"
    write_iati(out, Activity.objects.filter(pk=activity.pk))
    [published] = _by_identifier(out).values()
    original = _by_identifier(path)["FR-3-CZZ236101"]
    assert published.xpath("title/narrative/text()") == ["Titre revu dans Kafo"]
    for tag in ("budget", "sector", "recipient-country", "related-activity", "transaction",
                "participating-org", "document-link"):  # fmt: skip
        assert [_canonical(e) for e in published.findall(tag)] == [
            _canonical(e) for e in original.findall(tag)
        ], tag
