"""The country profile of a year, in a Landmine Monitor profile's sections, from the
records: read back from Word by python-docx and from PDF by pdftotext, and on its page,
where each figure links to the records behind it."""

import datetime
import io
import shutil
import subprocess

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import html

from kafo.actors.models import Role
from kafo.reports import profile, treaty


@pytest.fixture
def commitments(planted, coordinator):
    from kafo.commitments.models import Commitment, CommitmentFramework

    ottawa = CommitmentFramework.objects.create(name="Convention d'Ottawa", kind="treaty")
    Commitment.objects.create(framework=ottawa, reference="Art. 5",
                              deadline=datetime.date(2028, 12, 31))  # fmt: skip
    report = treaty.report_for("apmbc", 2024)
    treaty.submit(report, coordinator)
    return ottawa


def _rows(document) -> dict[str, str]:
    return {row.cells[0].text: row.cells[1].text for table in document.tables
            for row in table.rows}  # fmt: skip


def test_the_word_profile_holds_the_records_figures(commitments):
    document = docx.Document(io.BytesIO(profile.document(2024, "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Statut au regard des traités", "Gestion et coordination", "Impact",
                        "Réponse à l’impact"]  # fmt: skip
    rows = {k: v.replace("\u202f", " ").replace("\xa0", " ") for k, v in _rows(document).items()}
    assert rows["Convention d'Ottawa · Art. 5"] == "échéance 31/12/2028"
    assert rows["Rapport au titre de l’article 7 2024 (Convention sur l’interdiction des mines "
                "antipersonnel (Ottawa))"].startswith("soumis ")  # fmt: skip
    # Open hazards by type: the mined, ERW-only and cluster SHAs; the CHA; the indication.
    sha = next(v for k, v in rows.items() if k.startswith("Zone suspectée dangereuse"))
    cha = next(v for k, v in rows.items() if k.startswith("Zone confirmée dangereuse"))
    assert sha.startswith("3 · ") and cha == "1 · 4 000 · 1 000"  # 3,000 cleared
    assert rows["Victimes en 2024 (tués · blessés)"] == "1 · 1"
    assert rows["Terres remises à disposition (m²) : annulées · réduites · dépolluées"] == \
        "7 655 · 0 · 3 000"  # fmt: skip
    assert rows["Éducation aux risques : séances · personnes atteintes"].startswith("2 · ")
    assert "Awa" not in "".join(rows) + "".join(rows.values())


def test_casualties_of_the_years_before(commitments):
    impact = {label: value for label, value, _link in profile.build(2025)[2]["rows"]}
    assert impact["Victimes en 2024 (tués · blessés)"] == "1 · 1"
    assert "Victimes en 2025 (tués · blessés)" not in impact  # none in 2025: no row of zeros


def test_a_year_without_records_says_so(commitments):
    sections = {s["title"]: s for s in profile.build(2019)}
    assert sections["Réponse à l’impact"]["empty"].startswith("Aucune remise à disposition")


def test_the_pdf_reads_back(commitments, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed; CI installs it")
    (tmp_path / "p.pdf").write_bytes(profile.document(2024, "pdf"))
    text = subprocess.run(["pdftotext", str(tmp_path / "p.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "profil de pays" in text and "échéance 31/12/2028" in text


def test_the_page_links_each_figure_to_its_records(client, commitments, user_with_role):
    url = reverse("reports:profile") + "?year=2024"
    assert client.get(url).status_code == 302
    client.force_login(user_with_role(Role.DONOR_VIEWER, username="donor"))
    assert client.get(url).status_code == 403
    client.force_login(user_with_role(Role.PARTNER_VIEWER, username="viewer"))
    page = html.fromstring(client.get(url).content)
    links = page.xpath("//a[text()='1 · 1']/@href")
    assert links == [reverse("mineaction:list", args=["accident"]) +
                     "?start=2024-01-01&end=2024-12-31"]  # fmt: skip
    assert client.get(url + "&format=pdf").content.startswith(b"%PDF")


def test_the_command_line(commitments, tmp_path):
    out = io.StringIO()
    call_command("report", "profile", "--year", "2024", stdout=out)
    assert "## Impact" in out.getvalue() and "Art. 5: échéance 31/12/2028" in out.getvalue()
    call_command("report", "profile", "--year", "2024", "-o", str(tmp_path / "p.docx"),
                 stdout=out)  # fmt: skip
    assert (tmp_path / "p.docx").read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError, match=r"\.docx"):
        call_command("report", "profile", "--year", "2024", "-o", str(tmp_path / "p.txt"))
