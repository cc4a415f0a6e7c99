"""The client's address, the same for the login lockout (django-axes), the token endpoint's
throttle and the public pages' rate limit.

Behind reverse proxies `REMOTE_ADDR` is the nearest proxy's address: keyed on it, five bad
passwords from anybody would lock an account for everybody. Each proxy appends the address it
received the request from to `X-Forwarded-For`, so with `TRUSTED_PROXY_COUNT` = n proxies of our
own in front of Django the client is the n-th entry from the right. Entries further left were
written by the client (or its proxies) and can be forged, so they are never read. With 0 (the
default, no proxy) the header is ignored altogether.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's IP address as the trusted proxies saw it ("unknown" when there is none)."""
    # Not an address (a unix socket, say): "unknown", never a value an IP column would refuse.
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or "unknown"
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        # The request did not pass through every trusted proxy (or one is misconfigured): the
        # nearest address we have is the only one nobody upstream could forge.
        return remote
    return _valid(forwarded[-count]) or remote


def client_ip_or_none(request: HttpRequest) -> str | None:
    """`client_ip` for django-axes, whose address columns are IP fields: None when there is none
    (a login without a connection, such as the test client's `force_login`)."""
    address = client_ip(request)
    return None if address == "unknown" else address
