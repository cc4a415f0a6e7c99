"""Maps and searchable selects in a real browser: the registry map draws the filtered kindergartens,
the edit form's map sets the coordinates, and a long select can be searched by typing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.factories import KindergartenFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

POINT_COUNT = """(id) => {
  const chart = echarts.getInstanceByDom(document.getElementById(id));
  return chart ? chart.getOption().series.reduce((n, s) => n + s.data.length, 0) : -1;
}"""


def test_it_draws_the_filtered_registry_on_the_map(page: Page, live_server, login, bureau_official, wangjing):
    for n in range(5):
        KindergartenFactory(
            name=f"望京地图{n}幼儿园",
            subdistrict=wangjing,
            latitude=Decimal("39.990000") + Decimal(n) / 100,
            longitude=Decimal("116.470000"),
        )
    KindergartenFactory(name="无坐标幼儿园", subdistrict=wangjing)
    login(bureau_official)
    page.goto(f"{live_server.url}/kindergartens/")
    box = page.locator("#kindergarten-map")
    expect(box.locator("canvas").first).to_be_visible()
    expect(box).to_have_attribute("data-points", "5")
    assert page.evaluate(POINT_COUNT, "kindergarten-map") == 5
    expect(page.locator("#kindergarten-map-count")).to_have_text("共 5 所")

    page.goto(f"{live_server.url}/kindergartens/?q=望京地图1")
    expect(page.locator("#kindergarten-map")).to_have_attribute("data-points", "1")
    assert page.evaluate(POINT_COUNT, "kindergarten-map") == 1


def test_it_sets_the_coordinates_from_a_click_on_the_picker(page: Page, live_server, login, bureau_official, kg_a):
    login(bureau_official)
    page.goto(f"{live_server.url}/kindergartens/{kg_a.pk}/edit/")
    picker = page.locator("#coordinate-picker")
    expect(picker.locator("canvas").first).to_be_visible()
    expect(picker).to_have_attribute("data-points", "0")
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    expect(picker).to_have_attribute("data-points", "1")
    lat, lng = float(page.locator("#id_latitude").input_value()), float(page.locator("#id_longitude").input_value())
    # The middle of the Chaoyang outline.
    assert 39.8 < lat < 40.11 and 116.35 < lng < 116.65
    expect(page.locator("#id_latitude")).to_be_editable()
    page.get_by_role("button", name="保存").click()
    kg_a.refresh_from_db()
    assert float(kg_a.latitude) == pytest.approx(lat, abs=1e-6)


def test_it_makes_a_long_select_searchable(page: Page, live_server, login, bureau_official):
    login(bureau_official)
    page.goto(f"{live_server.url}/kindergartens/")
    # The sub-district filter lists all 43 sub-districts: typing narrows them.
    page.locator("#id_subdistrict + .ts-wrapper").click()  # Tom Select's box, next to the hidden select
    search = page.get_by_role("combobox", name="街道/地区")
    expect(page.locator(".ts-dropdown .option").first).to_be_visible()
    assert page.locator(".ts-dropdown .option").count() >= 43
    search.fill("酒仙")
    expect(page.locator(".ts-dropdown .option")).to_have_count(1)
    page.locator(".ts-dropdown").get_by_role("option", name="酒仙桥").click()
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"subdistrict=\d+"))
