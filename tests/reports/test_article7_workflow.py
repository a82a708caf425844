"""A treaty report's life: its texts written on its page (each version kept, with who
and when), submitted and frozen (later records do not change what was sent, and it can
no longer be edited), and the next year's cover page marking each form changed or
unchanged since. The page is the coordination's; each figure links to its records."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import html

from kafo.actors.models import Role
from kafo.mineaction.models import Hazard
from kafo.reports import treaty
from kafo.reports.models import TreatyReport, TreatyReportEdit

PAGE = reverse("reports:article7", args=["apmbc", 2024])


def test_it_checks_access(client, planted, user_with_role, organisation):
    roles = (Role.PARTNER_EDITOR, Role.PARTNER_VIEWER, Role.DONOR_VIEWER)
    others = [user_with_role(role, organisation("HI"), f"u-{role}") for role in roles]
    for name, args in (("reports:index", []), ("reports:article7", ["apmbc", 2024]),
                       ("reports:article7_file", ["apmbc", 2024, "docx"])):  # fmt: skip
        url = reverse(name, args=args)
        assert client.get(url).status_code == 302  # to the login page
        for user in others:
            client.force_login(user)
            assert client.get(url).status_code == 403
        client.logout()
    client.force_login(others[0])
    edit = reverse("reports:article7_edit", args=["apmbc", 2024])
    assert client.post(edit, {"form": "A", "text": "Loi 2000"}).status_code == 403
    assert not TreatyReportEdit.objects.exists()


def test_every_figure_links_to_its_records(client, planted, coordinator):
    client.force_login(coordinator)
    page = html.fromstring(client.get(PAGE).content)
    links = {a.get("href") for a in page.xpath("//section[@id='form-C']//a")}
    for hazard in (planted["mined"], planted["confirmed"]):
        assert reverse("mineaction:record", args=["hazard", hazard.reference]) in links
    funding = {a.get("href") for a in page.xpath("//section[@id='form-J']//a")}
    assert reverse("funding:transaction", args=[planted["flows"][0].pk]) in funding
    for kind, start in (("docx", b"PK"), ("pdf", b"%PDF"), ("xlsx", b"PK")):
        (link,) = page.xpath(f"//a[contains(@href, 'report.{kind}')]/@href")
        answer = client.get(link)
        assert answer.status_code == 200 and answer.content.startswith(start)
        assert f"article7-apmbc-2024.{kind}" in answer["Content-Disposition"]


def test_texts_are_versioned_then_frozen_on_submission(client, planted, coordinator):
    client.force_login(coordinator)
    edit = reverse("reports:article7_edit", args=["apmbc", 2024])
    client.post(edit, {"form": "A", "text": "Loi n° 2000-31"})
    client.post(edit, {"form": "A", "text": "Loi n° 2000-31 du 8 juin 2000"})
    client.post(edit, {"form": "contact", "text": "CNLPAL, Bamako"})
    client.post(edit, {"form": "C", "text": "pas un texte"})  # filled from the records
    report = TreatyReport.objects.get(treaty="apmbc", year=2024)
    assert report.texts == {"A": "Loi n° 2000-31 du 8 juin 2000", "contact": "CNLPAL, Bamako"}
    versions = list(report.edits.order_by("edited_at", "pk").values_list("form", "text",
                                                                         "edited_by"))  # fmt: skip
    assert versions == [("A", "Loi n° 2000-31", coordinator.pk),
                        ("A", "Loi n° 2000-31 du 8 juin 2000", coordinator.pk),
                        ("contact", "CNLPAL, Bamako", coordinator.pk)]  # fmt: skip
    client.post(reverse("reports:article7_submit", args=["apmbc", 2024]))
    report.refresh_from_db()
    assert report.status == "submitted" and report.submitted_by == coordinator
    # The records change after: the report sent does not.
    Hazard.objects.filter(pk=planted["confirmed"].pk).update(status="closed")
    forms = {form["code"]: form for form in treaty.forms_of(report)}
    assert len(forms["C"]["rows"]) == 2
    with pytest.raises(ValidationError):
        treaty.edit_text(report, "A", "Autre", coordinator)
    client.post(edit, {"form": "A", "text": "Autre"})
    report.refresh_from_db()
    assert report.texts["A"] == "Loi n° 2000-31 du 8 juin 2000"
    with pytest.raises(ValidationError):
        treaty.submit(report, coordinator)


def test_the_next_report_marks_what_changed(planted, coordinator, mine_action):
    first = treaty.report_for("apmbc", 2024)
    treaty.edit_text(first, "A", "Loi n° 2000-31", coordinator)
    treaty.submit(first, coordinator)
    second = treaty.report_for("apmbc", 2025)
    treaty.edit_text(second, "A", "Loi n° 2000-31", coordinator)
    marks = treaty.changes(second, treaty.forms_of(second))
    unchanged = "inchangé (dernier rapport : 2024)"
    assert marks["A"] == unchanged and marks["B"] == unchanged
    assert marks["C"] == unchanged  # the same two areas remain
    assert marks["G"] == "modifié"  # nothing destroyed in 2025
    assert set(treaty.changes(first, treaty.forms_of(first)).values()) == {"premier rapport"}


def test_a_hazard_known_only_after_the_year_is_not_in_it(planted, mine_action, user_with_role,
                                                       organisation):  # fmt: skip
    editor = user_with_role(Role.PARTNER_EDITOR, organisation("HI"), "late")
    late = mine_action.hazard(editor, date_of_information=datetime.date(2025, 3, 1))
    areas = {
        row["reference"] for row in treaty.forms_of(treaty.report_for("apmbc", 2024))[2]["rows"]
    }
    assert late.reference not in areas
    areas = {
        row["reference"] for row in treaty.forms_of(treaty.report_for("apmbc", 2025))[2]["rows"]
    }
    assert late.reference in areas


def test_the_command_line(planted, tmp_path):
    out = io.StringIO()
    call_command("report", "article7", "--treaty", "apmbc", "--year", "2024", "-o",
                 str(tmp_path / "a7.docx"), stdout=out)  # fmt: skip
    assert (tmp_path / "a7.docx").read_bytes()[:2] == b"PK" and "a7.docx" in out.getvalue()
    call_command("report", "article7", "--treaty", "ccm", "--year", "2024", "-o",
                 str(tmp_path / "a7.xlsx"), stdout=out)  # fmt: skip
    assert (tmp_path / "a7.xlsx").exists()
    for arguments, reason in ((["apmbc", "2024", str(tmp_path / "a7.txt")], ".docx"),
                              (["apmbc", "2024", str(tmp_path / "no" / "a7.docx")], "dossier"),
                              (["apmbc", "1990", str(tmp_path / "a7.docx")], "1997")):  # fmt: skip
        treaty_code, year, output = arguments
        with pytest.raises(CommandError, match=reason):
            call_command("report", "article7", "--treaty", treaty_code, "--year", year, "-o",
                         output, stdout=out)  # fmt: skip
