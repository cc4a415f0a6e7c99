"""The security-event log (`SecurityEvent`): who signed in, failed, was locked out, exported,
downloaded a PDF, used an API token or read the footage register.

Sign-ins, failures and lockouts come from Django's and django-axes' signals; exports, PDFs and
footage-register reads from `SecurityEventMiddleware`, which looks at the response (a workbook or
CSV is an export, a PDF a download) and at the view name, so no domain view has to remember to
log. Token use is written at most once an hour per token (`TOKEN_USE_EVERY`), since a script
may call the API thousands of times.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from common.net import client_ip_or_none

TOKEN_USE_EVERY = 3600  # seconds
EXPORT_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
    "text/csv",
)
FOOTAGE_VIEWS = frozenset(
    {"safety:footage_list", "safety:footage_detail", "footagerequest-list", "footagerequest-detail"}
)


def record(kind: str, *, request: HttpRequest | None = None, user=None, username: str = "", detail: str = ""):
    from .models import SecurityEvent

    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        user = candidate if candidate is not None and candidate.is_authenticated else None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=_address(request),
        path=(request.get_full_path() if request is not None else "")[:500],
        detail=detail[:500],
    )


def _address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return client_ip_or_none(request)


def record_token_use(token, request: HttpRequest | None = None) -> None:
    from .models import SecurityEvent

    if cache.add(f"security:token-use:{token.pk}", 1, TOKEN_USE_EVERY):
        record(SecurityEvent.Kind.TOKEN_USE, request=request, user=token.user, detail=token.key[:6] + "…")


# --- signal receivers (connected in AccountsConfig.ready) -----------------------------------


def on_logged_in(sender, request, user, **kwargs) -> None:
    from .models import SecurityEvent

    record(SecurityEvent.Kind.LOGIN, request=request, user=user)


def on_logged_out(sender, request, user, **kwargs) -> None:
    from .models import SecurityEvent

    if user is not None:
        record(SecurityEvent.Kind.LOGOUT, request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    from .models import SecurityEvent

    record(SecurityEvent.Kind.LOGIN_FAILED, request=request, username=str(credentials.get("username", "")))


def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    from .models import SecurityEvent

    record(SecurityEvent.Kind.LOCKOUT, request=request, username=username or "", detail=ip_address or "")


class SecurityEventMiddleware:
    """Logs exports, PDF downloads and footage-register reads from successful responses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 200 and request.method == "GET":
            kind = self.kind_of(request, response)
            if kind:
                record(kind, request=request)
        return response

    @staticmethod
    def kind_of(request: HttpRequest, response: HttpResponse) -> str | None:
        from .models import SecurityEvent

        content_type = response.get("Content-Type", "")
        if content_type.startswith("application/pdf"):
            return SecurityEvent.Kind.PDF
        if content_type.startswith(EXPORT_TYPES):
            return SecurityEvent.Kind.EXPORT
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in FOOTAGE_VIEWS:
            return SecurityEvent.Kind.FOOTAGE_READ
        return None
