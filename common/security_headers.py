"""Response headers that Django's SecurityMiddleware and django-csp don't set.

- `Permissions-Policy`: the portal uses no camera, microphone, location, payment or USB, so a
  script injected despite the Content-Security-Policy cannot ask for them either.
- `Cache-Control: no-store` on every response to a signed-in user and on every PDF: scoped pages
  and reports must not stay in a shared computer's browser cache or in a proxy's.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class SecurityHeadersMiddleware:
    """Place after AuthenticationMiddleware (it reads `request.user`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        is_pdf = response.get("Content-Type", "").startswith("application/pdf")
        if signed_in or is_pdf:
            # Overrides any caching a view asked for: nothing a signed-in user sees is shared.
            if "Cache-Control" in response:
                del response["Cache-Control"]
            add_never_cache_headers(response)
        return response
