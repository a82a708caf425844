"""A refusal is a French page in Kafo's layout with the server's reason and a way back;
the log keeps one line for it, no traceback. A missing page is the same."""

import logging

from kafo.actors.models import Role
from kafo.web.logging import RefusalWithoutTraceback


def test_a_refusal_is_a_french_page_with_its_reason(client, user_with_role):
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    response = client.get("/organisations/new/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Seule la coordination nationale ajoute des organisations." in page
    assert 'class="topbar"' in page and "Retour à l’accueil" in page
    assert "Forbidden" not in page


def test_a_missing_page_is_a_french_page(client, user_with_role, settings):
    settings.DEBUG = False
    client.force_login(user_with_role(Role.PARTNER_VIEWER))
    response = client.get("/organisations/999999/")
    assert response.status_code == 404 and "Page introuvable" in response.content.decode()


def test_the_log_keeps_the_refusal_without_its_traceback(client, user_with_role):
    kept = []

    class Keep(logging.Handler):
        def emit(self, record):
            kept.append(self.format(record))

    handler = Keep()
    handler.addFilter(RefusalWithoutTraceback())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.force_login(user_with_role(Role.PARTNER_VIEWER))
        client.get("/organisations/new/")
    finally:
        logger.removeHandler(handler)
    assert any("Forbidden" in line for line in kept)
    assert not any("Traceback" in line for line in kept)
