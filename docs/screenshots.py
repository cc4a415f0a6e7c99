"""Full-page screenshots of the portal's registry pages, for the docs and for eyeballing the layout.

Usage (from the project root):

    .venv/bin/python docs/screenshots.py            # current database if it holds the demo data
    .venv/bin/python docs/screenshots.py --fresh    # always a throw-away SQLite database
    .venv/bin/python docs/screenshots.py --out /tmp/shots
    .venv/bin/python docs/screenshots.py --homes    # each role's home, desktop and phone size

What it does:

1. Looks at the database the project is configured for (DATABASE_URL, `.env`, or db.sqlite3).
   If it holds the demo data (`./dev.sh start` / `manage.py seed_demo`: kindergartens and the
   demo logins bureau, wangjing and director), it is used as it is and nothing is written to it
   except the login records django-axes keeps. Otherwise (or with --fresh) the script runs
   `migrate` and `seed_demo` into a temporary SQLite file and deletes it afterwards.
2. Collects the static files into a temporary STATIC_ROOT and starts the development server
   (`manage.py runserver`) with DEBUG off, as in production, so the 403/404 pages are the
   portal's own, on a free port on 127.0.0.1; it stops the server at the end.
3. Signs in through the login form as the demo users (password chaoyang2025) in Chromium
   (Debian's /usr/bin/chromium, or CHROMIUM_PATH) and saves full-page PNGs, 1366 px wide, into
   docs/screenshots/: the login page, the kindergarten list (bureau), the list filtered, a
   kindergarten's detail with its change history, the edit form showing validation errors, a
   sub-district's page, the name-compliance report, the 404 page and a director's edit form.

With --dashboard it saves instead the bureau's district dashboard (computing the indicators and
the annual trend in the temporary database first): dashboard-ranked.png (1366 px) and
dashboard-ranked-390.png (390 px wide).

With --homes it saves instead each demo role's home page (admin, bureau, wangjing, inspector,
director) at desktop size (1366 px: home-<role>.png) and phone size (390 × 844: home-<role>-phone.png).

The edit-form screenshot submits invalid values on purpose; an invalid form saves nothing. Only in
the temporary database does the director also save a change (phone and principal), so that the
detail page shows a change in its history; with your own database the detail page is that of the
望京 kindergarten with the most history entries.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(BASE_DIR / "manage.py")]
DEFAULT_OUT = BASE_DIR / "docs" / "screenshots"
DEMO_PASSWORD = "chaoyang2025"
DEMO_USERS = ("bureau", "wangjing", "director")
WIDTH, HEIGHT = 1366, 900
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    # The browser's own widgets (date fields) in Chinese, as users here see them; takes effect
    # where Chromium's Chinese resources are installed (Debian: chromium-l10n).
    "--lang=zh-CN",
]


# --- What the pages will show: asked of the database in a child process -----------------------


def collect_facts() -> dict:
    """Runs inside `screenshots.py --facts`, with Django set up for the chosen database.

    Prints whether the demo data is there and the ids the screenshots need.
    """
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chaoyang_preschool.settings")
    import django

    django.setup()
    from django.db import DatabaseError
    from django.db.models import Count

    from accounts.models import User
    from kindergartens.choices import PUBLIC_SPONSORS
    from kindergartens.models import Kindergarten

    try:
        users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERS)}
        kindergartens = Kindergarten.objects.count()
    except DatabaseError:  # not migrated yet
        return {"ready": False}
    if set(users) != set(DEMO_USERS) or not kindergartens or not users["wangjing"].subdistrict_id:
        return {"ready": False}
    area = users["wangjing"].subdistrict
    in_area = Kindergarten.objects.filter(subdistrict=area)
    # The detail page is most telling for a kindergarten with several history entries.
    busiest = (
        Kindergarten.history.model.objects.filter(id__in=in_area.values("id"))
        .values("id")
        .annotate(changes=Count("history_id"))
        .order_by("-changes", "id")
        .first()
    )
    private = in_area.exclude(sponsor_type__in=PUBLIC_SPONSORS).order_by("code").first()
    elsewhere = Kindergarten.objects.exclude(subdistrict=area).order_by("code").first()
    return {
        "ready": True,
        "area_pk": area.pk,
        "area_name": area.name,
        "busiest_pk": busiest["id"] if busiest else None,
        "director_kindergarten_pk": users["director"].kindergarten_id,
        "private_pk": private.pk if private else None,
        "elsewhere_pk": elsewhere.pk if elsewhere else None,
    }


def facts_for(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--facts"], env=env, cwd=BASE_DIR, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit("Could not read the database:\n" + result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Database and server -------------------------------------------------------------------


def manage(env: dict[str, str], *args: str) -> None:
    print("  manage.py", " ".join(args))
    subprocess.run([*MANAGE, *args], env=env, cwd=BASE_DIR, check=True, stdout=subprocess.DEVNULL)


@contextmanager
def demo_environment(fresh: bool) -> Iterator[tuple[dict[str, str], dict]]:
    """The environment to run Django with, and the facts about its data; a temporary DB if needed.

    DEBUG is off (with a one-off SECRET_KEY) so error pages are the portal's own templates; the
    static files are collected into a temporary directory, from which WhiteNoise serves them.
    """
    tmpdir = Path(tempfile.mkdtemp(prefix="portal-screenshots-"))
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ID_NUMBER_KEY": secrets.token_urlsafe(40),  # required when DEBUG is off (chaoyang_preschool.startup)
        "STATIC_ROOT": str(tmpdir / "static"),
        "PYTHONUNBUFFERED": "1",
    }
    try:
        facts = {"ready": False} if fresh else facts_for(env)
        if facts["ready"]:
            print("Using the configured database (demo data found).")
        else:
            print("Seeding a temporary SQLite database with the demo data.")
            env["DATABASE_URL"] = f"sqlite:///{tmpdir / 'demo.sqlite3'}"
            manage(env, "migrate", "--no-input")
            manage(env, "seed_demo")
            if "--dashboard" in sys.argv:  # the figures the dashboard shows, and the annual trend
                manage(env, "compute_indicators")
                manage(env, "compute_indicators", "--backfill")
            facts = facts_for(env)
            if not facts["ready"]:
                raise SystemExit("seed_demo ran but the demo users bureau, wangjing and director are not there.")
        facts["temporary"] = "DATABASE_URL" in env and env["DATABASE_URL"].startswith(f"sqlite:///{tmpdir}")
        manage(env, "collectstatic", "--no-input")
        yield env, facts
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def dev_server(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(
        [*MANAGE, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env, cwd=BASE_DIR, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/accounts/login/", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise SystemExit(
                        "The development server did not start:\n" + log.read().decode(errors="replace")
                    ) from None
                time.sleep(0.3)
        print(f"Development server on {url} (pid {server.pid}).")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


# --- The screenshots -----------------------------------------------------------------------


def take_screenshots(base_url: str, facts: dict, out: Path) -> list[Path]:
    from playwright.sync_api import Page, expect, sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def shoot(page: Page, name: str) -> None:
        page.wait_for_load_state("networkidle")
        path = out / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        saved.append(path)
        print(f"  {path.relative_to(BASE_DIR) if path.is_relative_to(BASE_DIR) else path}")

    def login(page: Page, username: str) -> None:
        page.goto(f"{base_url}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("button", name="退出")).to_be_visible()

    if not Path(CHROMIUM_PATH).is_file():
        raise SystemExit(f"Chromium not found at {CHROMIUM_PATH}; set CHROMIUM_PATH.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)

        def as_user(username: str | None, steps: Callable[[Page], None]) -> None:
            context = browser.new_context(
                viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN", timezone_id="Asia/Shanghai"
            )
            page = context.new_page()
            if username:
                login(page, username)
            steps(page)
            context.close()

        def login_page(page: Page) -> None:
            page.goto(f"{base_url}/accounts/login/")
            shoot(page, "01-login")

        def bureau_pages(page: Page) -> None:
            page.goto(f"{base_url}/kindergartens/")
            shoot(page, "02-kindergarten-list")
            page.get_by_label("街道/地区").select_option(label=facts["area_name"])
            page.get_by_label("公办/民办").select_option(label="民办")
            page.get_by_role("button", name="筛选").click()
            page.wait_for_url("**/kindergartens/?*")
            shoot(page, "03-kindergarten-list-filtered")
            detail_pk = facts["director_kindergarten_pk"] if facts["temporary"] else facts["busiest_pk"]
            if detail_pk:
                page.goto(f"{base_url}/kindergartens/{detail_pk}/")
                shoot(page, "04-kindergarten-detail")
            if facts["private_pk"]:
                page.goto(f"{base_url}/kindergartens/{facts['private_pk']}/edit/")
                page.get_by_label("普惠性质").select_option(label="公办园")
                page.get_by_label("联系电话").fill("电话待定")
                page.get_by_role("button", name="保存").click()
                expect(page.locator(".errors")).to_be_visible()
                shoot(page, "05-kindergarten-edit-error")
            page.goto(f"{base_url}/kindergartens/name-compliance/")
            shoot(page, "07-name-compliance")

        def subdistrict_pages(page: Page) -> None:
            page.goto(f"{base_url}/kindergartens/subdistricts/{facts['area_pk']}/")
            shoot(page, "06-subdistrict")
            if facts["elsewhere_pk"]:
                page.goto(f"{base_url}/kindergartens/{facts['elsewhere_pk']}/")
                shoot(page, "08-not-found")

        def director_pages(page: Page) -> None:
            page.get_by_role("link", name="编辑").click()
            page.wait_for_url("**/edit/")
            shoot(page, "09-director-edit")
            if facts["temporary"]:
                # Only in the throw-away database: a director's edit, so the detail page has a
                # change (not just the creation) in its history.
                page.get_by_label("联系电话").fill("010-84725566")
                page.get_by_label("园长", exact=True).fill("刘玉梅")
                page.get_by_role("button", name="保存").click()
                expect(page.locator(".messages")).to_be_visible()

        as_user(None, login_page)
        as_user("director", director_pages)
        as_user("bureau", bureau_pages)
        as_user("wangjing", subdistrict_pages)
        browser.close()
    return saved


HOME_ROLES = ("admin", "bureau", "wangjing", "inspector", "director")
PHONE = {"width": 390, "height": 844}


def take_home_screenshots(base_url: str, out: Path) -> list[Path]:
    """Each demo role's home (`/`), full page, at desktop and at phone size."""
    from playwright.sync_api import expect, sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        for username in HOME_ROLES:
            for suffix, viewport in (("", {"width": WIDTH, "height": HEIGHT}), ("-phone", PHONE)):
                context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
                page = context.new_page()
                page.goto(f"{base_url}/accounts/login/")
                page.get_by_label("用户名").fill(username)
                page.get_by_label("密码").fill(DEMO_PASSWORD)
                page.get_by_role("button", name="登录").click()
                expect(page.get_by_role("button", name="退出")).to_be_attached()
                page.wait_for_load_state("networkidle")
                path = out / f"home-{'subdistrict' if username == 'wangjing' else username}{suffix}.png"
                page.screenshot(path=str(path), full_page=True)
                saved.append(path)
                print(f"  {path}")
                context.close()
        browser.close()
    return saved


def take_dashboard_screenshots(base_url: str, out: Path) -> list[Path]:
    """The bureau's district dashboard, full page, at desktop and at phone size (390 px)."""
    from playwright.sync_api import expect, sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        for name, viewport in (
            ("dashboard-ranked", {"width": WIDTH, "height": HEIGHT}),
            ("dashboard-ranked-390", PHONE),
        ):
            context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
            page = context.new_page()
            page.goto(f"{base_url}/accounts/login/")
            page.get_by_label("用户名").fill("bureau")
            page.get_by_label("密码").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="登录").click()
            expect(page.get_by_role("button", name="退出")).to_be_attached()
            page.goto(f"{base_url}/dashboard/")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1500)  # the charts' animation
            path = out / f"{name}.png"
            page.screenshot(path=str(path), full_page=True)
            saved.append(path)
            print(f"  {path}")
            context.close()
        browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to save the PNGs")
    parser.add_argument("--fresh", action="store_true", help="always seed a temporary SQLite database")
    parser.add_argument("--homes", action="store_true", help="each role's home at desktop and phone size")
    parser.add_argument("--dashboard", action="store_true", help="the district dashboard at desktop and phone size")
    parser.add_argument("--facts", action="store_true", help=argparse.SUPPRESS)  # internal: see collect_facts
    args = parser.parse_args()
    if args.facts:
        print(json.dumps(collect_facts()))
        return
    with demo_environment(args.fresh) as (env, facts), dev_server(env) as url:
        print("Taking screenshots:")
        if args.homes:
            take_home_screenshots(url, args.out.resolve())
        elif args.dashboard:
            take_dashboard_screenshots(url, args.out.resolve())
        else:
            take_screenshots(url, facts, args.out.resolve())


if __name__ == "__main__":
    main()
