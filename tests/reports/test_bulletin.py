"""The monthly bulletin, read back by poppler (pdftotext, pdftoppm): the month's key
figures against last year's, in the national edition exactly and in the public one with
small counts hidden; the maps and the chart drawn; the command, the page (the edition
the reader may see) and the monthly e-mail to those who asked for it, once."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from kafo.actors.models import Role
from kafo.reports import bulletin

NO_POPPLER = "poppler-utils is not installed; CI installs it"
pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason=NO_POPPLER)


@pytest.fixture
def month_of_records(mine_action, user_with_role, organisation):
    editor = user_with_role(Role.PARTNER_EDITOR, organisation("HI"))
    accident = mine_action.accident(editor, date="2024-05-04")
    for _n in range(2):
        mine_action.victim(editor, accident)
    mine_action.victim(editor, accident, outcome="killed", sex="male")
    last_year = mine_action.accident(editor, date="2023-05-20")
    for _n in range(7):
        mine_action.victim(editor, last_year, outcome="killed")
    hazard = mine_action.hazard(editor, longitude=-4.2345, latitude=14.4567)
    mine_action.activity(editor, hazard, start_date="2024-05-02", end_date="2024-05-09",
                         area_cancelled_m2=1234)  # fmt: skip
    mine_action.eore(editor, date="2024-05-10")
    return editor


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "b.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    return text.replace("\u202f", " ").replace("\xa0", " ")


def _row(text: str, label: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.strip().startswith(label))
    return line.split()[len(label.split()) :]


def test_the_national_edition_is_exact(month_of_records, tmp_path):
    text = _text(bulletin.pdf(datetime.date(2024, 5, 1), bulletin.NATIONAL), tmp_path)
    assert "mai 2024" in text and "Édition nationale" in text
    # The month, last year's month, the year so far, last year's same months.
    assert _row(text, "Victimes") == ["3", "7", "3", "7"]
    assert _row(text, "Tué") == ["1", "7", "1", "7"]
    assert _row(text, "Superficie remise à disposition (m²)")[0:2] == ["1", "234"]
    assert "1 zones dangereuses ouvertes" in text


def test_the_public_edition_hides_small_counts(month_of_records, tmp_path):
    text = _text(bulletin.pdf(datetime.date(2024, 5, 1), bulletin.PUBLIC), tmp_path)
    assert "Édition publique" in text
    assert _row(text, "Victimes") == ["<5", "7", "<5", "7"]
    assert _row(text, "Blessé") == ["<5", "0", "<5", "0"]


def test_public_hazards_are_drawn_at_a_tenth_of_a_degree(month_of_records):
    national = bulletin.content(datetime.date(2024, 5, 1), bulletin.NATIONAL)["map_hazards"]
    public = bulletin.content(datetime.date(2024, 5, 1), bulletin.PUBLIC)["map_hazards"]
    assert national.count("<circle") == public.count("<circle") == 2  # a point, its legend
    assert national != public  # the point moved to -4.2, 14.5


def test_a_page_is_drawn(month_of_records, tmp_path):
    (tmp_path / "b.pdf").write_bytes(bulletin.pdf(datetime.date(2024, 5, 1)))
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "1",
                    str(tmp_path / "b.pdf"), str(tmp_path / "page")], check=True)  # fmt: skip
    (image,) = tmp_path.glob("page*.pgm")
    pixels = image.read_bytes().split(b"\n", 3)[3]
    assert sum(1 for byte in pixels if byte < 128) > 2000  # tables, maps, chart


def test_the_command_line(month_of_records, tmp_path):
    out = io.StringIO()
    call_command("report", "bulletin", "--month", "2024-05", "--language", "en", "-o",
                 str(tmp_path / "b.pdf"), stdout=out)  # fmt: skip
    assert "Mine action bulletin · May 2024" in _text((tmp_path / "b.pdf").read_bytes(), tmp_path)
    for month, output, reason in (("2024-13", "b.pdf", "YYYY-MM"), ("2999-01", "b.pdf", "2999"),
                                  ("2024-05", "b.docx", ".pdf")):  # fmt: skip
        with pytest.raises(CommandError, match=reason):
            call_command("report", "bulletin", "--month", month, "-o",
                         str(tmp_path / output), stdout=out)  # fmt: skip


def test_the_page_gives_the_edition_the_reader_may_see(client, month_of_records, coordinator,
                                                       user_with_role):  # fmt: skip
    page = reverse("reports:bulletin")
    # A visitor has no menu: the public situation page leads to it.
    assert f'href="{page}"' in client.get(reverse("situation")).content.decode()
    assert client.get(page).status_code == 200  # public
    public = client.get(page + "?month=2024-05")
    assert "public" in public["Content-Disposition"] and public.content.startswith(b"%PDF")
    client.force_login(user_with_role(Role.DONOR_VIEWER, username="donor"))
    assert "public" in client.get(page + "?month=2024-05")["Content-Disposition"]
    client.force_login(coordinator)
    assert "national" in client.get(page + "?month=2024-05")["Content-Disposition"]
    assert client.get(page + "?month=2999-01").status_code == 404
    assert client.get(page + "?month=mai").status_code == 404


def test_it_is_e_mailed_once_to_those_who_asked(client, month_of_records, coordinator,
                                               user_with_role, tmp_path):  # fmt: skip
    from kafo.reports.tasks import send_bulletins

    donor = user_with_role(Role.DONOR_VIEWER, username="donor")
    silent = user_with_role(Role.PARTNER_VIEWER, username="silent")
    for user in (coordinator, donor, silent):
        user.email = f"{user.username}@example.org"
        user.save()
    client.force_login(donor)
    client.post(reverse("account_security"), {"action": "bulletin_on"})
    client.force_login(coordinator)
    client.post(reverse("account_security"), {"action": "bulletin_on"})
    assert send_bulletins.call("2024-05") == 2
    assert send_bulletins.call("2024-05") == 0  # a retry sends nothing twice
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {"donor@example.org", f"{coordinator.username}@example.org"}
    ((name, content, kind),) = sent["donor@example.org"].attachments
    assert kind == "application/pdf" and name == "kafo-bulletin-2024-05.pdf"
    assert "Édition publique" in _text(content, tmp_path)
    ((_name, content, _kind),) = sent[f"{coordinator.username}@example.org"].attachments
    assert "Édition nationale" in _text(content, tmp_path)


def test_land_release_against_the_adopted_plan_and_the_gaps(month_of_records, organisation):
    from kafo.coordination.models import JointPlan, PlanAssignment
    from kafo.geo.models import AdminUnit
    from kafo.mineaction.models import Hazard
    from kafo.response.models import Resource

    first = datetime.date(2024, 5, 1)
    assert bulletin.coordination_lines(first, datetime.date(2024, 6, 1))[0] == \
        "Aucun plan conjoint adopté ne couvre ce mois."  # fmt: skip
    hi = organisation("HI")
    unit = AdminUnit.objects.active().filter(level=2).first()
    team = Resource.objects.create(organisation=hi, kind="nts_team", name="Équipe 1", base=unit)
    plan = JointPlan.objects.create(name="Plan 2024", start=first, months=3, created_by=hi,
                                    status="adopted")  # fmt: skip
    worked = Hazard.objects.get()  # its activity of May released 1,234 m²
    for n, (hazard, answer) in enumerate([(worked, "accepted"), (None, "pending")]):
        PlanAssignment.objects.create(plan=plan, resource=team, organisation=hi, task=f"T{n}",
                                      task_type="NTS", hazard=hazard, admin_unit=unit, period=0,
                                      month=first, output=1.0, km=0.0, answer=answer)  # fmt: skip
    lines = bulletin.coordination_lines(first, datetime.date(2024, 6, 1))
    assert lines[0] == (
        "Plan conjoint « Plan 2024 » : 1 zones dangereuses prévues pour la "
        "remise à disposition ce mois, 1 avec une activité enregistrée ; "
        "1 234 m² remis à disposition sur elles."
    ).replace(" 234", "\xa0234")
    assert lines[1] == "Ses affectations : 1 acceptées, 0 refusées, 1 en attente de réponse."
    assert lines[2].startswith("Écarts du mois (action contre les mines, par cercle) : ")
