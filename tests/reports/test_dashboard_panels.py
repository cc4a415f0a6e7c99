"""The apps' dashboard panels, fetched apart from the page (reports.views.DashboardPanelView)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from reports import registry
from reports.registry import DashboardPanel
from tests.conftest import client_for

from .test_dashboard import DASHBOARD, figures  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

# What each panel's heading says (the registered panels of the installed apps).
HEADINGS = {
    "staff": "教职工配备",
    "safety": "平安校园",
    "quality": "质量评估",
    "estates": "居住区配套园",
    "recognitions": "普惠认定到期",
}
# The id of each panel's heading (aria-labelledby), found only once the panel is in the page.
IDS = {"staff": "staff-panel", "safety": "safety-panel", "quality": "quality-panel", "estates": "estate-panel"}
IDS["recognitions"] = "recognition-panel"


def panel_url(name: str, subdistrict=None) -> str:
    url = reverse("reports:dashboard_panel", args=[name])
    return f"{url}?subdistrict={subdistrict.pk}" if subdistrict else url


def test_every_registered_panel_has_a_heading_here():
    assert {panel.name for panel in registry.panels()} == set(HEADINGS)


@pytest.mark.parametrize("name", sorted(HEADINGS))
def test_each_panel_renders_as_a_fragment_for_the_bureau(client, bureau_official, figures, name):  # noqa: F811
    response = client_for(client, bureau_official).get(panel_url(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert HEADINGS[name] in html and f'id="{IDS[name]}"' in html
    assert "<html" not in html and "<nav" not in html  # a fragment: no layout around it
    assert response.context[name] is not None


def test_the_page_shows_a_placeholder_per_panel_and_builds_none(client, bureau_official, figures):  # noqa: F811
    built = []
    spy = registry.register_panel(
        DashboardPanel(name="spy", template="reports/_quality_panel.html", build=lambda *a: built.append(a))
    )
    try:
        html = client_for(client, bureau_official).get(DASHBOARD).content.decode()
    finally:
        registry.unregister_panel(spy)
    assert built == []
    for name in HEADINGS:
        assert f'data-panel-url="{panel_url(name)}"' in html
        assert f'href="{panel_url(name)}"' in html  # the fallback without JavaScript
        assert f'id="{IDS[name]}"' not in html
    assert "加载中…" in html and "js/dashboard_panels.js" in html


def test_a_subdistrict_official_gets_their_own_subdistricts_panel_only(client, wangjing_official, figures):  # noqa: F811
    wangjing, shuangjing = figures
    client_for(client, wangjing_official)
    page = client.get(f"/dashboard/subdistrict/{wangjing.pk}/").content.decode()
    assert f'data-panel-url="{panel_url("staff", wangjing)}"' in page
    response = client.get(panel_url("staff", wangjing))
    assert response.status_code == 200 and response.context["staff"].subdistrict_id == wangjing.pk
    # Without ?subdistrict= they are held to their own, as on the dashboard.
    assert client.get(panel_url("staff")).context["staff"].subdistrict_id == wangjing.pk
    assert client.get(panel_url("staff", shuangjing)).status_code == 404
    assert client.get(panel_url("staff") + "?subdistrict=x").status_code == 404


def test_the_bureau_gets_a_subdistricts_panel(client, bureau_official, figures):  # noqa: F811
    wangjing, _ = figures
    response = client_for(client, bureau_official).get(panel_url("recognitions", wangjing))
    assert response.status_code == 200 and response.context["subdistrict"] == wangjing


def test_an_unknown_panel_is_a_404(client, bureau_official, figures):  # noqa: F811
    assert client_for(client, bureau_official).get(panel_url("nothing")).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, figures):  # noqa: F811
    response = client.get(panel_url("staff"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["director_a", "inspector"])
def test_directors_and_inspectors_get_no_panel(client, personas, figures, persona):  # noqa: F811
    assert client_for(client, personas[persona]).get(panel_url("safety")).status_code == 403


def test_a_panel_is_cached_per_scope_and_panel(client, bureau_official, wangjing_official, figures, settings):  # noqa: F811
    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    calls = []

    def build(user, subdistrict):
        calls.append(subdistrict)
        return {"cycle": None}

    spy = registry.register_panel(DashboardPanel(name="quality2", template="reports/_quality_panel.html", build=build))
    wangjing, _ = figures
    try:
        for _ in range(2):
            assert client_for(client, bureau_official).get(panel_url("quality2")).status_code == 200
            assert client_for(client, wangjing_official).get(panel_url("quality2", wangjing)).status_code == 200
    finally:
        registry.unregister_panel(spy)
        cache.clear()
    assert calls == [None, wangjing]
