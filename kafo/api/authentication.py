"""API tokens: for the roles that must use a second factor, a token is a second way in,
so it is made only after a TOTP step and it expires (KAFO_API_TOKEN_HOURS)."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from kafo.security.accounts import second_factor_required


def token_expired(token) -> bool:
    """Whether this token is past its life (only tokens of second-factor roles expire)."""
    if not second_factor_required(token.user):
        return False
    life = datetime.timedelta(hours=settings.KAFO_API_TOKEN_HOURS)
    return timezone.now() - token.created > life


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise AuthenticationFailed(_(
                "This token has expired: your role uses a second factor, so its tokens last "
                "%(hours)d hours. Make a new one on your account page."
            ) % {"hours": settings.KAFO_API_TOKEN_HOURS})  # fmt: skip
        return user, token
