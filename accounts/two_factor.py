"""Two-factor sign-in with an authenticator app (django-otp, TOTP).

- Anyone may turn it on from the account page: enrol (scan a QR code, type a code), and from
  then on every sign-in asks for a code. They may turn it off again with a current code.
- The roles in `OTP_REQUIRED_ROLES` (the bureau administrator by default) must use it:
  `TwoFactorMiddleware` sends such a user without a device to enrol, and anybody with a device
  who has not typed a code in this session to verify. API calls made with the session get a
  403 JSON answer instead of a redirect. API tokens are not affected by the middleware (DRF
  authenticates them in the view), but the token endpoint asks for the code (`otp_token`) when
  the user has a device, so a token is never issued on the password alone.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import match_token, user_has_device

from .permissions import role_of

# Reachable before the second factor: signing out, the two-factor pages, the language switch.
HAS_DEVICE_KEY = "_otp_has_device"
OPEN_URL_NAMES = frozenset({"logout", "otp_verify", "otp_enrol", "set_language", "login"})


def otp_required(user) -> bool:
    role = role_of(user)
    return role is not None and role in getattr(settings, "OTP_REQUIRED_ROLES", ())


def token_otp_error(user, code: str) -> str | None:
    """For the token endpoint: None when the user has no device or `code` is one of its codes."""
    if not user_has_device(user):
        if otp_required(user):
            return _("您的角色必须启用两步验证：请先在“账号与安全”页面绑定验证器。")
        return None
    if not code:
        return _("请提供验证器中的 6 位验证码（otp_token）。")
    if match_token(user, str(code).strip()) is None:
        return _("验证码不正确或已使用。")
    return None


def safe_next(request: HttpRequest, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(default)


def remember_device(sender, request, user, **kwargs) -> None:
    """user_logged_in: note in the session whether this user signs in with a second factor."""
    session = getattr(request, "session", None)
    if session is not None:
        session[HAS_DEVICE_KEY] = user_has_device(user)


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: a signed-in user who must (or chose to) use a second
    factor and hasn't typed a code this session reaches only the two-factor pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_URL_NAMES:
            return None
        if request.path.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"):
            return None
        # Whether the user has a device is read once, at sign-in (`remember_device`): no query
        # per page. A device added or removed by an administrator counts from the next sign-in.
        has_device = bool(getattr(request, "session", {}).get(HAS_DEVICE_KEY))
        if not has_device and not otp_required(user):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("需要两步验证：请先在网页上完成验证。")}, status=403)
        target = "otp_verify" if has_device else "otp_enrol"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
