"""A parent on a phone (390×844) finds the nearest inclusive kindergarten with a toddler class.

She types where she lives, filters 普惠性民办园 + 开设托班, sees the nearest first with its
distance, and opens its disclosure page; neither page scrolls sideways (at 390 and 360 px). With
PUBLIC_SCREENSHOTS=<dir> the test also saves the two pages' screenshots there (for docs/).
"""

from __future__ import annotations

import datetime
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from governance.choices import FeeItemKind
from governance.models import FeeFiling, FeeItem
from inspections.choices import EvaluationStatus, ResultGrade
from inspections.models import ExternalEvaluation
from kindergartens.choices import InclusiveStatus, SponsorType
from tests.factories import KindergartenFactory, subdistrict
from tests.inspections.factories import cycle, external_evaluation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
INCLUSIVE = {
    "sponsor_type": SponsorType.PRIVATE_NONPROFIT,
    "inclusive_status": InclusiveStatus.INCLUSIVE_PRIVATE,
    "recognition_date": datetime.date(2022, 9, 1),
}


def kindergarten(code, name, lat, lon, address, care, **fields):
    kg = KindergartenFactory(
        code=code,
        name=name,
        subdistrict=subdistrict(fields.pop("sub", "望京")),
        address=address,
        latitude=Decimal(str(lat)),
        longitude=Decimal(str(lon)),
        phone="010-6470" + code[-4:],
        **fields,
    )
    filing = FeeFiling.objects.create(kindergarten=kg, school_year=2025, grade="first")
    FeeItem.objects.create(filing=filing, item=FeeItemKind.CARE_EDUCATION, monthly_amount=Decimal(care))
    FeeItem.objects.create(filing=filing, item=FeeItemKind.MEALS, monthly_amount=Decimal("450"))
    return kg


def no_horizontal_overflow(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_it_finds_the_nearest_inclusive_kindergarten_with_a_toddler_class(browser, live_server, bureau_official):
    cache.clear()
    kindergarten(
        "PUB00001",
        "北京市朝阳区望京第一幼儿园",
        40.000,
        116.470,
        "北京市朝阳区望京西路10号",
        "750",
        has_toddler_classes=True,
    )
    near = kindergarten(
        "INC00002",
        "北京市朝阳区望京启航幼儿园",
        40.004,
        116.471,
        "北京市朝阳区望京西路28号",
        "1200",
        has_toddler_classes=True,
        approved_capacity=270,
        **INCLUSIVE,
    )
    kindergarten(
        "INC00003", "北京市朝阳区望京小树幼儿园", 40.001, 116.470, "北京市朝阳区望京南湖东园3号", "1100", **INCLUSIVE
    )
    kindergarten(
        "INC00004",
        "北京市朝阳区望京花园幼儿园",
        40.020,
        116.480,
        "北京市朝阳区望京花园东区9号",
        "1300",
        has_toddler_classes=True,
        **INCLUSIVE,
    )
    kindergarten(
        "PRV00005",
        "北京市朝阳区望京国际双语幼儿园",
        40.002,
        116.472,
        "北京市朝阳区望京北路8号",
        "6800",
        has_toddler_classes=True,
        sponsor_type=SponsorType.PRIVATE_FORPROFIT,
        inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE,
    )
    kindergarten("PUB00006", "北京市朝阳区双井第一幼儿园", 39.890, 116.460, "北京市朝阳区广渠路5号", "750", sub="双井")
    evaluation = external_evaluation(
        cycle(by=bureau_official), near, status=EvaluationStatus.PUBLISHED, grade=ResultGrade.GOOD
    )
    # A published evaluation is locked against saves: the summary is set as publication left it.
    ExternalEvaluation.objects.filter(pk=evaluation.pk).update(
        summary="一日生活安排合理，户外活动充足；区域材料需进一步丰富。"
    )

    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai", is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/public/")
    page.get_by_label("从哪里出发").fill("望京西路10号院2号楼")
    page.get_by_label("办园类型").select_option(label="普惠性民办园")
    page.get_by_label("开设托班").check()
    page.get_by_role("button", name="查找").click()

    cards = page.locator(".kg-card")
    expect(page.locator(".result-count")).to_contain_text("共 2 所幼儿园")
    expect(page.locator(".result-count")).to_contain_text("按离")
    expect(cards.first).to_contain_text("望京启航幼儿园")
    expect(cards.first.locator(".distance")).to_have_text(re.compile(r"^\s*0\.5 km\s*$"))
    expect(cards.nth(1)).to_contain_text("望京花园幼儿园")
    assert no_horizontal_overflow(page)
    page.set_viewport_size({"width": 360, "height": 740})  # the narrowest phone the portal supports
    assert no_horizontal_overflow(page)
    page.set_viewport_size(PHONE)
    shots = os.environ.get("PUBLIC_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / "public-search-phone.png"), full_page=True)

    cards.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("北京市朝阳区望京启航幼儿园")
    expect(page.locator("body")).to_contain_text("1200.00 元/月")
    expect(page.locator("body")).to_contain_text("良好")
    expect(page.locator("body")).to_contain_text("2022-09-01 认定")
    assert no_horizontal_overflow(page)
    page.set_viewport_size({"width": 360, "height": 740})
    assert no_horizontal_overflow(page)
    page.set_viewport_size(PHONE)
    if shots:
        page.screenshot(path=str(Path(shots) / "public-kindergarten-phone.png"), full_page=True)
    context.close()
