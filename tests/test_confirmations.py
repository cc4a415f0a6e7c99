"""Irreversible actions (lock, publish, delete, return, close, penalise) are secondary buttons and
ask first: a confirmation page or `data-confirm`, handled by static/js/confirm.js; no inline
handlers in the templates (a CSP is coming)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.conftest import client_for

TEMPLATES = Path(settings.BASE_DIR) / "templates"
IRREVERSIBLE = {
    "enrollment:submission_return",
    "inspections:framework_publish",
    "inspections:framework_delete",
    "inspections:point_delete",
    "inspections:conduct_case_close",
    "inspections:order_penalise",
    "inspections:external_evaluation_review",
    "attachment_delete_url",
}
FORM = re.compile(r"<form\b[^>]*action=\"\{% url '?([\w:]+)'?[^%]*%\}\"[^>]*>.*?</form>", re.S)


def templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def test_no_template_carries_an_inline_submit_or_click_handler():
    assert [str(t) for t in templates() if re.search(r"\bon(submit|click)=", t.read_text())] == []


def test_every_irreversible_form_asks_first_and_is_not_the_primary_button():
    seen = set()
    for template in templates():
        for match in FORM.finditer(template.read_text()):
            if match.group(1) not in IRREVERSIBLE:
                continue
            seen.add(match.group(1))
            form = match.group(0)
            assert "data-confirm=" in form, (template.name, match.group(1))
            assert "btn primary" not in form, (template.name, match.group(1))
    assert seen == IRREVERSIBLE


def test_the_confirmation_script_is_on_every_page():
    assert "data-confirm" in Path(finders.find("js/confirm.js")).read_text()
    assert "js/confirm.js" in (TEMPLATES / "base.html").read_text()


@pytest.mark.django_db
def test_locking_a_school_year_is_a_secondary_button_and_a_confirmation_page(client, bureau_official):
    from tests.enrollment.factories import SchoolYearFactory

    SchoolYearFactory(start_year=2026)
    client_for(client, bureau_official)
    page = client.get(reverse("enrollment:tracker"), {"year": 2026}).content.decode()
    lock_url = reverse("enrollment:schoolyear_lock", args=[2026])
    assert f'<a class="btn danger" href="{lock_url}">锁定学年</a>' in page
    confirm = client.get(lock_url).content.decode()
    assert '<button type="submit" class="btn danger">确认锁定</button>' in confirm
    assert "btn primary" not in confirm
