"""The client address behind trusted proxies: the n-th X-Forwarded-For entry from the right, read
by django-axes (a lockout hits one username from one address, not everybody behind the proxy),
the token endpoint's throttle and the public rate limit."""

import pytest
from axes.helpers import get_client_ip_address
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from common.net import client_ip

PROXY = "10.0.0.2"
PASSWORD = "portal-pass-123"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def request_from(remote: str = PROXY, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from(forwarded="1.2.3.4")) == PROXY


def test_with_one_proxy_the_rightmost_entry_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged "6.6.6.6"; the proxy appended the address it really saw.
    assert client_ip(request_from(forwarded="6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from(forwarded="6.6.6.6, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"


def test_a_short_or_bad_header_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from(forwarded="203.0.113.7")) == PROXY
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(forwarded="not-an-address")) == PROXY
    assert client_ip(request_from()) == PROXY


def test_axes_reads_the_same_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert get_client_ip_address(request_from(forwarded="203.0.113.7")) == "203.0.113.7"


def log_in(client, username, password, address):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_an_attacker_behind_the_proxy_locks_out_only_themselves(client, settings, bureau_official):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(4):
        log_in(client, "bureau", "wrong", "198.51.100.66")
    locked = log_in(client, "bureau", PASSWORD, "198.51.100.66")
    assert locked.status_code == 429
    assert SESSION_KEY not in client.session

    # The real user, through the same proxy from their own address, still signs in.
    response = log_in(client, "bureau", PASSWORD, "203.0.113.7")
    assert response.status_code == 302
    assert SESSION_KEY in client.session


def test_the_public_rate_limit_counts_per_client_behind_the_proxy(client, settings, db):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PUBLIC_RATE_LIMIT = 2
    settings.PUBLIC_CACHE_SECONDS = 0
    # One window for the whole test (no boundary to cross between the requests), counted afresh.
    settings.PUBLIC_RATE_WINDOW = 10**9
    cache.clear()
    url = reverse("public:index")
    one = [client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code for _ in range(3)]
    assert one == [200, 200, 429]
    assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200
