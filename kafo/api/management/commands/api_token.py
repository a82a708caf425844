from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from kafo.api.authentication import token_expired
from kafo.commands import KafoCommand
from kafo.security.accounts import second_factor_required


class Command(KafoCommand):
    help = gettext_lazy(
        "Show (or make) a user's API token; --reset replaces it. A user whose role must use "
        "a second factor gives a current code from their authenticator (--code)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true", help=gettext_lazy("a new token"))
        parser.add_argument("--code", default="", help=gettext_lazy("the user's TOTP code"))

    def handle(self, *args, username: str, reset: bool, code: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("no user %s") % username)
        if second_factor_required(user):
            devices = TOTPDevice.objects.filter(user=user, confirmed=True)
            if not code or not any(device.verify_token(code) for device in devices):
                raise CommandError(_(
                    "%s must use a second factor: give a current code from their "
                    "authenticator with --code (a token is another way in)."
                ) % username)  # fmt: skip
        existing = Token.objects.filter(user=user).first()
        if reset or (existing is not None and token_expired(existing)):
            Token.objects.filter(user=user).delete()
        token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
