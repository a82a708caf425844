"""The API has no filter, search or ordering on restricted fields: `?name=` is not an
oracle (the answer is the same with any name), and what a caller typed beyond the list's
own parameters is never echoed in the next and previous links."""

from kafo.actors.models import Role
from tests.conftest import RECORD_DEFAULTS

NAME = "Awa Traoré"


def test_a_name_in_the_query_is_neither_a_filter_nor_echoed(api, mine_action, user_with_role,
                                                            organisation):  # fmt: skip
    editor = user_with_role(Role.PARTNER_EDITOR, organisation("HI"))
    accident = mine_action.accident(editor)
    for name in (NAME, "Moussa Keita"):
        mine_action.victim(editor, accident, **{**RECORD_DEFAULTS["victim"], "name": name})
    other = api(user_with_role(Role.PARTNER_EDITOR, organisation("DRC")))
    own = api(editor)
    for client in (other, own):
        query = {"name": NAME, "search": NAME, "limit": 1, "ordering": "name"}
        named = client.get("/api/v1/mineaction/victim/", query)
        anyone = client.get("/api/v1/mineaction/victim/", {"name": "Personne", "limit": 1})
        assert named.status_code == anyone.status_code
        assert named.json()["count"] == anyone.json()["count"]  # not an oracle
    text = other.get("/api/v1/mineaction/victim/",
                     {"name": NAME, "limit": 1, "pcode": "ML"}).content.decode()  # fmt: skip
    assert "Awa" not in text and "Traor" not in text
    page = own.get("/api/v1/mineaction/victim/", {"name": NAME, "limit": 1}).json()
    assert page["next"] and "Awa" not in page["next"] and "name=" not in page["next"]


def test_next_links_keep_the_list_s_own_parameters(api, user_with_role):
    from kafo.response.models import Activity

    editor = user_with_role(Role.PARTNER_EDITOR)
    for n in range(3):
        Activity.objects.create(organisation=editor.membership.organisation, title=f"A{n}",
                                sector="HEA")  # fmt: skip
    page = api(editor).get("/api/v1/activities/", {"sector": "HEA", "limit": 1,
                                                   "secret": "x"}).json()  # fmt: skip
    assert "sector=HEA" in page["next"] and "limit=1" in page["next"]
    assert "secret" not in page["next"]
