"""The user's own account page ("账号与安全"): the API token (rotate, revoke) and, in the
two-factor commit, the authenticator app."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView

from .filtersets import SecurityEventFilterSet
from .models import SecurityEvent
from .permissions import Act, require
from .security_log import record
from .tokens import current_token, revoke_token, rotate_token, token_expired, token_expires_at


def security_context(user) -> dict:
    token = current_token(user)
    return {
        "token": token,
        "token_expires": token_expires_at(token) if token else None,
        "token_expired": token_expired(token) if token else False,
        "token_days": settings.API_TOKEN_DAYS,
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
