"""The registry in a real browser: three people's journeys, from the login form to the pages they use.

- A 望京 sub-district official lands on their sub-district, filters the kindergarten list, opens a
  kindergarten and its name-compliance box, and meets the 404 page for a kindergarten elsewhere.
- A bureau official creates a kindergarten, trips over a validation rule, corrects it and finds
  the new kindergarten with its change history.
- A director edits the fields they keep current and nothing else.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from kindergartens.choices import InclusiveStatus, SponsorType
from kindergartens.models import Kindergarten
from tests.factories import KindergartenFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def main_nav(page: Page):
    return page.get_by_role("navigation", name="主导航")


def table_rows(page: Page):
    return page.locator("table.table tbody tr")


def test_it_walks_a_subdistrict_official_through_their_own_kindergartens(
    page: Page, live_server, login, wangjing, shuangjing, wangjing_official, kg_a, kg_b, kg_c
):
    KindergartenFactory(
        code="KGW0003",
        name="望京小星星幼儿园",
        subdistrict=wangjing,
        sponsor_type=SponsorType.PRIVATE_NONPROFIT,
        inclusive_status=InclusiveStatus.INCLUSIVE_PRIVATE,
        recognition_date=date(2023, 9, 1),
        recognition_expiry=date(2026, 8, 31),
    )
    bilingual = KindergartenFactory(
        code="KGW0004",
        name="望京双语幼儿园",
        subdistrict=wangjing,
        sponsor_type=SponsorType.PRIVATE_FORPROFIT,
        inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE,
    )
    KindergartenFactory(
        code="KGS0002",
        name="双井启明幼儿园",
        subdistrict=shuangjing,
        sponsor_type=SponsorType.PRIVATE_NONPROFIT,
        inclusive_status=InclusiveStatus.INCLUSIVE_PRIVATE,
        recognition_date=date(2023, 9, 1),
    )

    login(wangjing_official)

    # The home page is a sub-district official's own area's dashboard.
    own_area = re.compile(r"^https?://[^/]+/$")
    expect(page).to_have_url(own_area)
    expect(page.get_by_role("heading", level=1)).to_contain_text("望京")

    main_nav(page).get_by_role("link", name="街道/地区").click()
    expect(page).to_have_url(f"{live_server.url}/kindergartens/subdistricts/")
    expect(table_rows(page)).to_have_count(1)
    table_rows(page).get_by_role("link", name="望京").click()
    expect(page).to_have_url(f"{live_server.url}/kindergartens/subdistricts/{wangjing.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("望京")
    expect(page.get_by_role("heading", name="辖区幼儿园")).to_be_visible()
    expect(table_rows(page)).to_have_count(4)
    expect(page.locator("main")).not_to_contain_text("双井阳光幼儿园")

    main_nav(page).get_by_role("link", name="幼儿园", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/kindergartens/")
    expect(page.get_by_role("heading", name="幼儿园名录")).to_be_visible()
    expect(table_rows(page)).to_have_count(4)
    expect(page.locator("main")).to_contain_text("共 4 条")
    expect(page.locator("main")).not_to_contain_text("双井")
    # The sub-district filter offers only their own sub-district.
    area_options = page.get_by_label("街道/地区").locator("option")
    expect(area_options).to_have_count(2)  # "any" and 望京
    expect(area_options.nth(1)).to_have_text("望京")

    page.get_by_label("普惠性质").select_option(label="普惠性民办园")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"inclusive_status=inclusive_private"))
    expect(table_rows(page)).to_have_count(1)
    expect(table_rows(page)).to_contain_text("望京小星星幼儿园")
    expect(page.locator("main")).not_to_contain_text("双井启明幼儿园")

    page.get_by_role("link", name="清除").click()
    page.get_by_label("搜索").fill("双语")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"q=%E5%8F%8C%E8%AF%AD"))
    expect(table_rows(page)).to_have_count(1)

    table_rows(page).get_by_role("link", name="望京双语幼儿园").click()
    expect(page).to_have_url(f"{live_server.url}/kindergartens/{bilingual.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("望京双语幼儿园")
    expect(page.locator(".badges")).to_contain_text("非普惠性民办园")
    compliance = page.locator("#name-compliance")
    expect(compliance).to_contain_text("该名称不符合以下名称规范")
    expect(compliance).to_contain_text("片面强调课程特色或等级")
    expect(compliance).to_contain_text("“双语”")
    # A sub-district official looks but does not change the registry.
    expect(page.get_by_role("link", name="编辑")).to_have_count(0)

    page.goto(f"{live_server.url}/kindergartens/{kg_a.pk}/")
    expect(page.locator("#name-compliance")).to_contain_text("名称符合规范。")

    # A kindergarten in another sub-district does not exist, as far as they can tell.
    response = page.goto(f"{live_server.url}/kindergartens/{kg_c.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("双井阳光幼儿园")
    expect(main_nav(page).get_by_role("link", name="幼儿园", exact=True)).to_be_visible()
    expect(page.locator(".whoami")).to_contain_text("wangjing")
    page.get_by_role("link", name="返回首页").click()
    expect(page).to_have_url(own_area)


def test_it_lets_a_bureau_official_correct_a_mistake_and_create_a_kindergarten(
    page: Page, live_server, login, wangjing, bureau_official
):
    login(bureau_official)
    main_nav(page).get_by_role("link", name="幼儿园", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/kindergartens/")

    page.get_by_role("link", name="新增幼儿园").click()
    expect(page).to_have_url(f"{live_server.url}/kindergartens/new/")
    expect(page.get_by_role("heading", name="新增幼儿园")).to_be_visible()
    page.get_by_label("幼儿园编码").fill("KGN0001")
    page.get_by_label("幼儿园名称").fill("望京阳光花园幼儿园")
    # 43 sub-districts: the select is searchable (Tom Select); type to narrow, then pick.
    page.locator("#id_subdistrict + .ts-wrapper").click()
    page.get_by_role("combobox", name="街道/地区").fill("望京")
    page.locator(".ts-dropdown").get_by_role("option", name="望京", exact=True).click()
    page.get_by_label("地址").fill("北京市朝阳区望京街道阜通东大街6号")
    page.get_by_label("举办者类型").select_option(label="民办非营利性")
    page.get_by_label("普惠性质").select_option(label="公办园")  # the mistake: a private kindergarten
    page.get_by_label("核定学位数").fill("180")
    page.get_by_role("button", name="保存").click()

    expect(page.locator(".errors")).to_contain_text("请更正下列标红的字段。")
    field_error = page.locator(".field.has-error")
    expect(field_error).to_have_count(1)
    expect(field_error).to_contain_text("普惠性质")
    expect(field_error).to_contain_text("民办幼儿园不能登记为“公办园”。")
    expect(page).to_have_url(f"{live_server.url}/kindergartens/new/")
    assert not Kindergarten.objects.filter(code="KGN0001").exists()
    # What was typed is still there.
    expect(page.get_by_label("幼儿园名称")).to_have_value("望京阳光花园幼儿园")

    page.get_by_label("普惠性质").select_option(label="普惠性民办园")
    page.get_by_label("普惠认定日期").fill("2024-09-01")
    page.get_by_role("button", name="保存").click()

    created = Kindergarten.objects.get(code="KGN0001")
    expect(page).to_have_url(f"{live_server.url}/kindergartens/{created.pk}/")
    expect(page.locator(".messages")).to_contain_text("已保存“望京阳光花园幼儿园”。")
    expect(page.get_by_role("heading", level=1)).to_contain_text("望京阳光花园幼儿园")
    expect(page.locator(".badges")).to_contain_text("民办")
    expect(page.locator(".badges")).to_contain_text("普惠性民办园")
    expect(page.locator("#name-compliance")).to_contain_text("名称符合规范。")
    history = page.locator("table.history tbody tr")
    expect(history).to_have_count(1)
    expect(history).to_contain_text("创建")
    expect(history).to_contain_text("bureau")
    expect(history).to_contain_text("幼儿园名称")
    expect(history).to_contain_text("望京阳光花园幼儿园")
    assert created.history.get().history_user == bureau_official
    assert created.inclusive_status == InclusiveStatus.INCLUSIVE_PRIVATE
    assert created.recognition_date == date(2024, 9, 1)


def test_it_lets_a_director_edit_only_the_fields_they_keep(page: Page, live_server, login, director_a, kg_a, kg_b):
    login(director_a)
    # The director lands on their to-do list; their kindergarten is one click away.
    expect(page).to_have_url(f"{live_server.url}/")
    main_nav(page).get_by_role("link", name="本园", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/kindergartens/{kg_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("望京第一幼儿园")

    page.get_by_role("link", name="编辑").click()
    expect(page).to_have_url(f"{live_server.url}/kindergartens/{kg_a.pk}/edit/")
    expect(page.locator(".hint")).to_contain_text("园长可维护本园的地址、电话、园长和经纬度")
    for label in ("幼儿园编码", "幼儿园名称", "街道/地区", "举办者类型", "普惠性质", "办园许可状态", "核定学位数"):
        expect(page.get_by_label(label)).to_be_disabled()
    for label in ("地址", "联系电话", "纬度", "经度"):
        expect(page.get_by_label(label)).to_be_enabled()
    expect(page.get_by_label("园长", exact=True)).to_be_enabled()

    page.get_by_label("联系电话").fill("010-84701234")
    page.get_by_label("园长", exact=True).fill("王丽")
    # Someone re-enabling a disabled field in the browser still cannot change it.
    page.eval_on_selector("#id_name", "el => { el.disabled = false; el.value = '望京国际双语幼儿园'; }")
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(f"{live_server.url}/kindergartens/{kg_a.pk}/")
    expect(page.locator(".messages")).to_contain_text("已保存“望京第一幼儿园”。")
    facts = page.locator("dl.facts").first
    expect(facts).to_contain_text("010-84701234")
    expect(facts).to_contain_text("王丽")
    latest = page.locator("table.history tbody tr").first
    expect(latest).to_contain_text("修改")
    expect(latest).to_contain_text("director_a")
    expect(latest).to_contain_text("联系电话")
    expect(latest).not_to_contain_text("幼儿园名称")
    kg_a.refresh_from_db()
    assert (kg_a.name, kg_a.phone, kg_a.principal) == ("望京第一幼儿园", "010-84701234", "王丽")

    # Another kindergarten's edit page does not exist for them; creating one is forbidden.
    response = page.goto(f"{live_server.url}/kindergartens/{kg_b.pk}/edit/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    response = page.goto(f"{live_server.url}/kindergartens/new/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="没有权限")).to_be_visible()
    expect(main_nav(page).get_by_role("link", name="本园", exact=True)).to_be_visible()
