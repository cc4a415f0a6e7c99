"""API tokens that expire: the authentication class, the throttled token endpoint, rotation and
revocation (by the user on /accounts/security/, by the bureau administrator on the admin site),
and the rule that a password change revokes the user's token.

A token is good for `API_TOKEN_DAYS` days from its creation. An expired or unknown token is
refused with 401 and `WWW-Authenticate: Token` (this class comes first in DRF's list, so its
header is the one DRF sends). Rotation deletes the old key and issues a new one, so a key leaked
before the rotation stops working at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_lifetime() -> timedelta:
    return timedelta(days=settings.API_TOKEN_DAYS)


def token_expires_at(token: Token) -> datetime:
    return token.created + token_lifetime()


def token_expired(token: Token, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= token_expires_at(token)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing tokens older than `API_TOKEN_DAYS` days."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            from .security_log import record_token_use

            record_token_use(result[1], request)
        return result

    def authenticate_credentials(self, key: str):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed(_("令牌已过期，请在“账号与安全”页面重新生成。"))
        return user, token


@transaction.atomic
def rotate_token(*, user) -> Token:
    """Delete the user's token (if any) and issue a new one, valid for `API_TOKEN_DAYS` days."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def revoke_token(*, user) -> bool:
    """Delete the user's token; True when there was one."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    return bool(deleted)


def current_token(user) -> Token | None:
    return Token.objects.filter(user=user).first()
