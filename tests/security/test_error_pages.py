"""Error pages (debug page, admins' error e-mails) never show restricted values."""

import sys

from django.views.debug import ExceptionReporter, technical_500_response

from kafo.actors.models import Role

# Assembled, so the page's source-code excerpts (which show these lines) do not hold them.
SECRET_NAME, SECRET_PHONE = "Fatoumata " + "Secr" + "ète", "+223 70 " + "99 88" + " 77"


def _failing_view(request, victim):
    copied_name = victim.name  # noqa: F841  (a local holding the value, as real code has)
    raise RuntimeError("the database went away")


def test_the_debug_page_and_the_error_mail_hide_restricted_values(
    rf, settings, mine_action, user_with_role
):
    settings.DEBUG = True
    editor = user_with_role(Role.PARTNER_EDITOR)
    victim = mine_action.victim(
        editor, mine_action.accident(editor), name=SECRET_NAME, phone=SECRET_PHONE
    )
    request = rf.post(
        "/mineaction/reports/new/victim/",
        {"name": victim.name, "phone": victim.phone, "sex": "female"},
    )
    try:
        _failing_view(request, victim)
    except RuntimeError:
        info = sys.exc_info()
    page = technical_500_response(request, *info).content.decode()
    mail = ExceptionReporter(request, *info).get_traceback_text()
    for text in (page, mail):
        assert "the database went away" in text  # the page is there...
        assert "Secrète" not in text and "70 99 88 77" not in text  # ...without the values
        assert "female" in text  # open fields are still shown for debugging
