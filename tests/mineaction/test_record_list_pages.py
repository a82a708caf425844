"""A record list comes a page at a time: every validated record on exactly one page,
and no line saying only the first 500 are shown."""

import re

from django.urls import reverse

from kafo.actors.models import Role
from kafo.paging import PER_PAGE


def test_the_accidents_come_a_page_at_a_time(client, mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    made = {mine_action.accident(editor).reference for _n in range(PER_PAGE + 3)}
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    url = reverse("mineaction:list", args=["accident"])
    pages = [client.get(url, {"page": n}).content.decode() for n in (1, 2)]
    found = [re.findall(r'href="/mineaction/accident/([^/"]+)/"', page) for page in pages]
    assert [len(refs) for refs in found] == [PER_PAGE, 3]
    assert set(found[0]) | set(found[1]) == made
    assert "Page 1 sur 2" in pages[0] and "Les 500 premiers" not in pages[0]
