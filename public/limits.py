"""Rate limiting and caching of the public pages (no login, so anybody can call them).

- Rate limit: at most `PUBLIC_RATE_LIMIT` requests per `PUBLIC_RATE_WINDOW` seconds per client
  IP (`common.net.client_ip`: behind `TRUSTED_PROXY_COUNT` proxies, from X-Forwarded-For), counted in the Django cache; over the
  limit the answer is 429 with a Retry-After header and a plain message.
- Cache: a 200 answer is kept `PUBLIC_CACHE_SECONDS` seconds, keyed by path and the sorted query
  string; the rate limit is checked before, so cached answers count too.
"""

from __future__ import annotations

import functools
import hashlib
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from common.net import client_ip


def _client(request) -> str:
    return client_ip(request)


def over_limit(request) -> int:
    """0 when the request may go on, else the seconds until the client's window ends."""
    limit, window = settings.PUBLIC_RATE_LIMIT, settings.PUBLIC_RATE_WINDOW
    if limit <= 0:
        return 0
    now = int(time.time())
    slot = now // window
    key = f"public:rate:{_client(request)}:{slot}"
    cache.add(key, 0, window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window + 1)
        count = 1
    if count <= limit:
        return 0
    return max(1, (slot + 1) * window - now)


def too_many(request, retry_after: int) -> HttpResponse:
    message = _("请求过于频繁，请 %(seconds)s 秒后再试。") % {"seconds": retry_after}
    if request.path.startswith("/public/api/"):
        response = JsonResponse({"detail": message}, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    return response


def cache_key(request) -> str:
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    return f"public:page:{request.LANGUAGE_CODE if hasattr(request, 'LANGUAGE_CODE') else ''}:{digest}"


def public_view(view):
    """Rate-limits, then serves from the cache or computes and caches a 200 answer."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        retry_after = over_limit(request)
        if retry_after:
            return too_many(request, retry_after)
        key = cache_key(request)
        stored = cache.get(key)
        if stored is not None:
            status, content_type, content = stored
            response = HttpResponse(content, status=status, content_type=content_type)
            response["X-Public-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if response.status_code == 200 and settings.PUBLIC_CACHE_SECONDS > 0:
            cache.set(key, (200, response["Content-Type"], response.content), settings.PUBLIC_CACHE_SECONDS)
        response["Cache-Control"] = f"public, max-age={settings.PUBLIC_CACHE_SECONDS}"
        return response

    return wrapper
