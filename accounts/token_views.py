"""The token endpoint (/api/token/): throttled, and it replaces an expired token."""

from __future__ import annotations

from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from common.net import client_ip

from .tokens import current_token, rotate_token, token_expired, token_expires_at
from .two_factor import token_otp_error


class ClientAddressThrottle(ScopedRateThrottle):
    """Counted per client address as `common.net.client_ip` reads it (trusted proxies)."""

    def get_ident(self, request) -> str:
        return client_ip(request)


class ObtainExpiringTokenView(ObtainAuthToken):
    """POST username and password (and the one-time code when the user has two-factor sign-in on)
    for a token. An expired token is replaced; a valid one is returned with its expiry. Throttled
    per client address like the login (`DEFAULT_THROTTLE_RATES["token"]`)."""

    throttle_classes = (ClientAddressThrottle,)
    throttle_scope = "token"

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        otp_error = token_otp_error(user, request.data.get("otp_token", ""))
        if otp_error:
            return Response({"otp_token": [otp_error]}, status=400)
        token = current_token(user)
        if token is None or token_expired(token):
            token = rotate_token(user=user)
        return Response({"token": token.key, "expires": token_expires_at(token).isoformat()})


obtain_expiring_token = ObtainExpiringTokenView.as_view()
