"""Security headers: a strict Content-Security-Policy that the templates keep (no inline script,
on…= handler, style block or style attribute), Permissions-Policy, Referrer-Policy, and
Cache-Control: no-store on every signed-in response and every PDF."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from common.security_headers import SecurityHeadersMiddleware
from tests.conftest import client_for

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered to PDF by WeasyPrint on the server, never served to a browser: the CSP doesn't apply.
PDF_ONLY = re.compile(r"_pdf\.html$")
INLINE = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "on…= handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "<style> block": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_template_has_inline_script_handlers_or_styles():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if PDF_ONLY.search(path.name):
            continue
        text = path.read_text(encoding="utf-8")
        for what, pattern in INLINE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(TEMPLATES)}:{line}: {what}")
    assert not found, "\n".join(found)


def test_the_scan_catches_what_it_looks_for():
    samples = ["<script>alert(1)</script>", '<a href="#" onclick="x()">', "<style>a{}</style>", '<p style="x">']
    for sample in samples:
        assert any(p.search(sample) for p in INLINE.values()), sample
    assert not any(p.search('<script src="/static/js/a.js" defer></script>') for p in INLINE.values())


@pytest.mark.django_db
def test_a_signed_in_page_carries_every_header(client, bureau_official):
    client_for(client, bureau_official)
    response = client.get(reverse("kindergartens:kindergarten_list"))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_signed_in_api_answers_are_not_stored(client, bureau_official):
    client_for(client, bureau_official)
    response = client.get("/api/kindergartens/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_an_anonymous_page_has_the_policy_but_may_be_cached(client):
    response = client.get(reverse("login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "Permissions-Policy" in response
    public = client.get(reverse("public:index"))
    assert "no-store" not in public.get("Cache-Control", "")


def test_a_pdf_is_never_stored_even_for_an_anonymous_request():
    request = RequestFactory().get("/report.pdf")
    middleware = SecurityHeadersMiddleware(lambda r: HttpResponse(b"%PDF-1.7", content_type="application/pdf"))
    response = middleware(request)  # no request.user: as if anonymous
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_swagger_page_has_no_inline_code(client, bureau_official):
    client_for(client, bureau_official)
    html = client.get("/api/docs/").content.decode()
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def inline_code(html: str) -> list[str]:
    return [what for what, pattern in INLINE.items() if pattern.search(html)]


@pytest.mark.django_db
def test_the_admin_keeps_the_same_policy_and_writes_no_inline_style(client, bureau_admin, monkeypatch):
    """Django's change list writes a style block for a list without actions, and simple-history's
    history page a style attribute; the portal's templates (templates/admin/,
    templates/simple_history/) put both rules in static/css/admin.css instead."""
    from accounts.admin import SecurityEventAdmin

    client_for(client, bureau_admin)
    monkeypatch.setattr(SecurityEventAdmin, "actions_on_top", False)
    changelist = client.get(reverse("admin:accounts_securityevent_changelist"))
    assert changelist.status_code == 200
    html = changelist.content.decode()
    assert inline_code(html) == []
    assert 'class="no-actions' in html or " no-actions" in html
    assert "/static/css/admin.css" in html
    csp = changelist["Content-Security-Policy"]
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp and "nonce-" not in csp

    for path in (
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[bureau_admin.pk]),
        reverse("admin:accounts_user_history", args=[bureau_admin.pk]),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert inline_code(response.content.decode()) == [], path
        assert "/static/css/admin.css" in response.content.decode(), path
    css = (Path(settings.BASE_DIR) / "static/css/admin.css").read_text()
    assert "#changelist table thead th:first-child" in css and ".history-paginator" in css
