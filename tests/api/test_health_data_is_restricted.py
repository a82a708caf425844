"""A victim's injuries and disability are health data: the owning organisation's viewers
do not read them (page or API); its editors and the national IM team do."""

from kafo.actors.models import Role
from tests.conftest import RECORD_DEFAULTS

INJURY = "Amputation-jambe-gauche"


def test_viewers_of_the_owner_do_not_read_health_data(client, api, mine_action, user_with_role,
                                                      organisation, coordinator):  # fmt: skip
    hi = organisation("HI")
    editor = user_with_role(Role.PARTNER_EDITOR, hi)
    victim = mine_action.victim(editor, mine_action.accident(editor),
                                **{**RECORD_DEFAULTS["victim"], "injuries": INJURY})  # fmt: skip
    viewer = user_with_role(Role.PARTNER_VIEWER, hi)
    url = f"/mineaction/victim/{victim.reference}/"
    client.force_login(viewer)
    assert INJURY not in client.get(url).content.decode()
    assert INJURY not in api(viewer).get("/api/v1/mineaction/victim/").content.decode()
    for reader in (editor, coordinator):
        client.force_login(reader)
        assert INJURY in client.get(url).content.decode()
        assert INJURY in api(reader).get("/api/v1/mineaction/victim/").content.decode()
