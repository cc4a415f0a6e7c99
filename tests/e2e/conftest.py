"""Browser fixtures for the end-to-end tests: real Chromium driven by Playwright against `live_server`.

- `browser` (session): one Chromium for the whole run. Its path is `CHROMIUM_PATH`, by default
  Debian's /usr/bin/chromium; when it is missing the tests fail with a message saying so,
  because a browser test that silently skips proves nothing.
- `page` (per test): a fresh browser context (no cookies) at 1366×900, in Chinese.
- `login(user)`: signs in through the real login form, as a person would.

The tests must be marked `@pytest.mark.django_db(transaction=True, serialized_rollback=True)`:
`live_server` needs committed data, and the flush after each transactional test would otherwise
delete the sub-districts and naming rules that a data migration seeds, breaking later tests.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio event loop in this thread; Django would then refuse ORM
# calls from the test body (SynchronousOnlyOperation). The calls are synchronous in fact.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PASSWORD = "portal-pass-123"  # the password tests.factories.UserFactory gives every user
VIEWPORT = {"width": 1366, "height": 900}

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator[Browser]:
    if not Path(CHROMIUM_PATH).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH}: install it (Debian: apt-get install chromium) "
            "or point CHROMIUM_PATH at a Chromium binary. The browser tests do not skip.",
            pytrace=False,
        )
    # Django keeps database connections per thread, but per context while an event loop runs, so
    # once Playwright's loop is up this thread gets new connection objects. The test database's
    # serialized contents (for serialized_rollback) hang off the old ones: carry them across, or
    # the data migrations' rows would be flushed after the first browser test and never restored.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page: Page, live_server) -> Callable[..., None]:
    """`login(user)` signs `user` in through the login form, then waits until the portal has moved on."""

    def sign_in(user, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        expect(page.get_by_role("heading", name="登录")).to_be_visible()
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        expect(page.get_by_role("button", name="退出")).to_be_visible()

    return sign_in
