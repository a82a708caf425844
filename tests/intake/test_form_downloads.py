"""The field forms download from the imports page, for those who bring data in."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from kafo.actors.models import Role
from kafo.intake.models import FormVersion

FORM = reverse("intake:form", args=["hazard"])
HAZARDS = reverse("intake:hazards_export")


def test_it_checks_access(client, demo_geography, user_with_role):
    for url in (FORM, HAZARDS):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    assert client.get(FORM).status_code == 403 and client.get(HAZARDS).status_code == 403
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    assert client.get(FORM).status_code == 200 and client.get(HAZARDS).status_code == 200


def test_a_form_downloads_as_an_xlsform(client, demo_geography, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    response = client.get(FORM)
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["survey", "choices", "settings"]
    version = FormVersion.objects.get(form_id="kafo_hazard").version
    assert response["Content-Disposition"].endswith(f'kafo-hazard-{version}.xlsx"')
    assert client.get(reverse("intake:form", args=["nope"])).status_code == 404


def test_the_imports_page_lists_them(client, demo_geography, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    page = client.get(reverse("interop:batches")).content.decode()
    assert FORM in page and HAZARDS in page and "Alerte communautaire" in page


def test_the_hazards_file_holds_the_open_hazards(client, mine_action, coordinator,
                                                user_with_role):  # fmt: skip
    hazard = mine_action.hazard(coordinator)
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    rows = list(csv.DictReader(io.StringIO(client.get(HAZARDS).content.decode())))
    assert [row["name"] for row in rows] == [hazard.reference]
