"""The user's own account page ("账号与安全"): the API token (rotate, revoke) and, in the
two-factor commit, the authenticator app."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .filtersets import SecurityEventFilterSet
from .models import SecurityEvent
from .permissions import Act, require
from .security_log import record
from .tokens import current_token, revoke_token, rotate_token, token_expired, token_expires_at
from .two_factor import (
    display_code,
    has_authenticator,
    issue_recovery_codes,
    otp_required,
    recovery_codes_left,
    remove_second_factor,
    safe_next,
    verify_code,
)


def security_context(user) -> dict:
    token = current_token(user)
    return {
        "token": token,
        "token_expires": token_expires_at(token) if token else None,
        "token_expired": token_expired(token) if token else False,
        "token_days": settings.API_TOKEN_DAYS,
        "otp_enabled": has_authenticator(user),
        "otp_required": otp_required(user),
        "recovery_codes_left": recovery_codes_left(user),
    }


class AccountSecurityView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/security.html"

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), **security_context(self.request.user)}


class TokenRotateView(LoginRequiredMixin, View):
    """Issue a new key (the old one stops working) and show it once, in this response only."""

    def post(self, request):
        token = rotate_token(user=request.user)
        record(SecurityEvent.Kind.TOKEN_ISSUED, request=request)
        messages.success(request, _("已生成新的 API 令牌，旧令牌立即失效。请现在复制，离开本页后将不再显示。"))
        context = {**security_context(request.user), "new_key": token.key}
        return render(request, "accounts/security.html", context)


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request):
        if revoke_token(user=request.user):
            record(SecurityEvent.Kind.TOKEN_REVOKED, request=request)
            messages.success(request, _("API 令牌已撤销。"))
        return redirect("account_security")


class SecurityEventListView(LoginRequiredMixin, FilterView):
    """The security-event log, for the bureau administrator: filter by event, user, address, dates."""

    model = SecurityEvent
    filterset_class = SecurityEventFilterSet
    template_name = "accounts/security_events.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(request.user, Act.ADMINISTER)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return SecurityEvent.objects.select_related("user")


# --- two-factor sign-in (accounts.two_factor) ---------------------------------------------------


class OTPCodeForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"),
        max_length=16,  # a recovery code with its hyphen and spaces
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "autofocus": True}),
    )


def _pending_device(user) -> TOTPDevice:
    """The user's unconfirmed device, made on the first visit and kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=_("验证器"), confirmed=False)


class OTPEnrolView(LoginRequiredMixin, View):
    """Scan the QR code (an SVG image, no script) with an authenticator app and type a code."""

    template_name = "accounts/otp_enrol.html"

    def context(self, request, form) -> dict:
        device = _pending_device(request.user)
        qr = segno.make(device.config_url, error="m")
        return {
            "form": form,
            "qr_data_uri": qr.svg_data_uri(scale=4, dark="#000", light="#fff"),
            "secret": b32encode(device.bin_key).decode(),
            "required": otp_required(request.user),
            "next": safe_next(request, "account_security"),
        }

    def dispatch(self, request, *args, **kwargs):
        # A user who has a device enrols no other: signed in with the password only, they must
        # type a code from it first (else a stolen password could add an authenticator of its own).
        if request.user.is_authenticated and has_authenticator(request.user):
            if not request.user.is_verified():
                return redirect(f"{reverse('otp_verify')}?{urlencode({'next': safe_next(request)})}")
            return redirect("account_security")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, self.context(request, OTPCodeForm()))

    def post(self, request):
        form = OTPCodeForm(request.POST)
        device = _pending_device(request.user)
        if form.is_valid() and device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            record(SecurityEvent.Kind.OTP, request=request, detail="enrolled")
            messages.success(request, _("两步验证已启用。今后登录时需要输入验证器中的验证码。"))
            return show_recovery_codes(request, safe_next(request, "account_security"))
        form.add_error("code", _("验证码不正确，请输入验证器当前显示的 6 位数字。"))
        return render(request, self.template_name, self.context(request, form))


class OTPVerifyView(LoginRequiredMixin, View):
    """The second step of signing in."""

    template_name = "accounts/otp_verify.html"

    def get(self, request):
        return render(request, self.template_name, {"form": OTPCodeForm(), "next": safe_next(request)})

    def post(self, request):
        form = OTPCodeForm(request.POST)
        if form.is_valid():
            device = verify_code(request.user, form.cleaned_data["code"])
            if isinstance(device, StaticDevice):
                otp_login(request, device)
                left = recovery_codes_left(request.user)
                record(SecurityEvent.Kind.OTP, request=request, detail=f"recovery code used, {left} left")
                messages.warning(request, _("您使用了一个恢复码，还剩 %(left)d 个。") % {"left": left})
                return redirect(safe_next(request))
            if device is not None:
                otp_login(request, device)
                record(SecurityEvent.Kind.OTP, request=request, detail="verified")
                return redirect(safe_next(request))
            record(SecurityEvent.Kind.OTP, request=request, detail="failed")
            form.add_error("code", _("验证码不正确或已使用。"))
        return render(request, self.template_name, {"form": form, "next": safe_next(request)})


class OTPDisableView(LoginRequiredMixin, View):
    """Turn two-factor sign-in off with a current code (not for the roles that must use it)."""

    def post(self, request):
        if otp_required(request.user):
            messages.error(request, _("您的角色必须使用两步验证，不能停用。"))
            return redirect("account_security")
        form = OTPCodeForm(request.POST)
        if form.is_valid() and verify_code(request.user, form.cleaned_data["code"]) is not None:
            remove_second_factor(request.user)
            record(SecurityEvent.Kind.OTP, request=request, detail="disabled")
            messages.success(request, _("两步验证已停用。"))
        else:
            messages.error(request, _("验证码不正确，两步验证未停用。"))
        return redirect("account_security")


def show_recovery_codes(request, next_url: str):
    """Issue new recovery codes and show them, in this response only."""
    codes = issue_recovery_codes(request.user)
    record(SecurityEvent.Kind.OTP, request=request, detail="recovery codes issued")
    context = {"codes": [display_code(code) for code in codes], "next": next_url}
    return render(request, "accounts/otp_recovery_codes.html", context)


class RecoveryCodesView(LoginRequiredMixin, View):
    """New recovery codes on request (the old ones stop working), for a session verified with
    the second factor: a password alone does not get codes."""

    def post(self, request):
        if not has_authenticator(request.user) or not request.user.is_verified():
            messages.error(request, _("请先启用两步验证并完成验证。"))
            return redirect("account_security")
        return show_recovery_codes(request, reverse("account_security"))
