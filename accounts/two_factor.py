"""Two-factor sign-in with an authenticator app (django-otp, TOTP).

- Anyone may turn it on from the account page: enrol (scan a QR code, type a code), and from
  then on every sign-in asks for a code. They may turn it off again with a current code.
- The roles in `OTP_REQUIRED_ROLES` (the bureau administrator by default) must use it:
  `TwoFactorMiddleware` sends such a user without a device to enrol, and anybody with a device
  who has not typed a code in this session to verify. API calls made with the session get a
  403 JSON answer instead of a redirect. API tokens are not affected by the middleware (DRF
  authenticates them in the view), but the token endpoint asks for the code (`otp_token`) when
  the user has a device, so a token is never issued on the password alone.
- Whether the user has a device is a flag on the user row, kept by signals on the device and
  read with the user on each request, so a device added or removed in one session counts in all
  of the user's sessions at once.
- Recovery codes (django-otp's static device): 10 single-use codes, issued when the
  authenticator is enrolled and again on request (the old ones stop working), shown once; one
  is accepted instead of an authenticator code when the phone is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.db.models import Exists
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .permissions import role_of

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery codes"
# Reachable before the second factor: signing out, the two-factor pages, the language switch.
OPEN_URL_NAMES = frozenset({"logout", "otp_verify", "otp_enrol", "set_language", "login"})


def otp_required(user) -> bool:
    role = role_of(user)
    return role is not None and role in getattr(settings, "OTP_REQUIRED_ROLES", ())


def has_authenticator(user) -> bool:
    """Whether `user` signs in with a second factor: a confirmed authenticator.

    Read from the user row (`User.otp_enabled`, loaded on every request anyway, kept by
    `sync_authenticator_flag`): no query, and never stale from one request to the next. Recovery
    codes alone don't count: they stand in for a lost authenticator, and a user whose
    authenticator an administrator removed must be able to enrol a new one."""
    return bool(getattr(user, "otp_enabled", False))


def sync_authenticator_flag(sender, instance, **kwargs) -> None:
    """post_save / post_delete of a TOTPDevice: the user's flag follows their confirmed devices."""
    from .models import User

    confirmed = TOTPDevice.objects.filter(user_id=instance.user_id, confirmed=True)
    User.objects.filter(pk=instance.user_id).update(otp_enabled=Exists(confirmed))


def normalise_code(code: str) -> str:
    return "".join(str(code).split()).replace("-", "").lower()


def verify_code(user, code: str) -> Device | None:
    """The device that accepts `code` (once), or None: an authenticator for digits, the
    recovery codes otherwise. Only the device the code is meant for is tried, so codes typed
    every day don't count as failures against the recovery codes (django-otp's back-off)."""
    code = normalise_code(code)
    if not code:
        return None
    model = TOTPDevice if code.isdigit() else StaticDevice
    for device in model.objects.filter(user_id=user.pk, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def issue_recovery_codes(user) -> list[str]:
    """New recovery codes for `user`, returned to be shown once; the old ones stop working.

    Stored as django-otp stores them (StaticToken); each is deleted when it is used."""
    with transaction.atomic():
        StaticDevice.objects.filter(user_id=user.pk).exclude(name=RECOVERY_DEVICE_NAME).delete()
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        device.throttle_reset()  # new codes start without the old ones' failure back-off
        codes: list[str] = []
        while len(codes) < RECOVERY_CODE_COUNT:
            token = StaticToken.random_token()
            if not token.isdigit() and token not in codes:  # digits read as an authenticator code
                codes.append(token)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=token) for token in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()


def remove_second_factor(user) -> None:
    """Turn two-factor sign-in off: the authenticator and the recovery codes go together."""
    TOTPDevice.objects.filter(user_id=user.pk).delete()
    StaticDevice.objects.filter(user_id=user.pk).delete()


def display_code(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


def token_otp_error(user, code: str) -> str | None:
    """For the token endpoint: None when the user has no device or `code` is one of its codes."""
    if not has_authenticator(user):
        if otp_required(user):
            return _("您的角色必须启用两步验证：请先在“账号与安全”页面绑定验证器。")
        return None
    if not code:
        return _("请提供验证器中的 6 位验证码（otp_token）。")
    if not normalise_code(code).isdigit():
        # Recovery codes are for signing in after losing the phone, with the security log's
        # record; a script's token is issued against the authenticator only.
        return _("请使用验证器中的 6 位验证码；恢复码只能用于网页登录。")
    if verify_code(user, code) is None:
        return _("验证码不正确或已使用。")
    return None


def safe_next(request: HttpRequest, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(default)


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
        # Read from the user row of this request, not remembered from sign-in: a device added or
        # removed in another session (or by an administrator) counts at once.
        has_device = has_authenticator(user)
        if not has_device and not otp_required(user):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("需要两步验证：请先在网页上完成验证。")}, status=403)
        target = "otp_verify" if has_device else "otp_enrol"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
