"""Pages a signed-in user reads are never cached (Cache-Control: no-store); a UTF-16 CSV
(Excel's "Unicode text") is read, not called binary."""

from kafo.actors.models import Role
from kafo.interop.hxl import read_hxl


def test_pages_and_exports_of_a_signed_in_user_are_not_cached(client, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_EDITOR))
    for url in ("/response/activities/", "/response/activities/export/", "/mineaction/reports/"):
        assert client.get(url)["Cache-Control"] == "no-store", url


def test_the_login_page_keeps_its_own_policy(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200 and response.get("Cache-Control") != "no-store"


def test_a_utf16_csv_is_read(tmp_path):
    path = tmp_path / "5w.csv"
    path.write_text("#org,#sector\nHumanité & Inclusion,PRO-MIN\n", encoding="utf-16")
    table = read_hxl(path)
    assert table.rows == [["Humanité & Inclusion", "PRO-MIN"]]
