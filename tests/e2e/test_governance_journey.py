"""Governance in real Chromium: a private kindergarten's recognition from the director's application
on a 390×844 phone to the bureau's recognition and, once it has lapsed, its renewal; and a fee above
its cap raising an alert that the bureau resolves."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from accounts.choices import Role
from governance.choices import AlertStatus, RecognitionStatus
from governance.models import FeeAlert, Recognition
from kindergartens.choices import InclusiveStatus, SponsorType
from kindergartens.models import Kindergarten
from tests.factories import KindergartenFactory, UserFactory

from .test_safety_pages import assert_no_sideways_scroll, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def private_kg(wangjing):
    return KindergartenFactory(
        code="KGP0001",
        name="望京启航幼儿园",
        subdistrict=wangjing,
        sponsor_type=SponsorType.PRIVATE_NONPROFIT,
        inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE,
    )


def test_a_recognition_from_application_to_renewal(
    browser: Browser, page: Page, live_server, private_kg, bureau_official
):
    director = UserFactory(username="director_p", role=Role.DIRECTOR, kindergarten=private_kg)
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    director_page = phone.new_page()
    sign_in(director_page, live_server, director)
    director_page.goto(live_server.url + reverse("governance:recognition_apply"))
    expect(director_page.locator("#evaluation-grade")).to_contain_text("尚无已公布的督导评估结果")
    assert_no_sideways_scroll(director_page)
    director_page.get_by_label("办园等级").select_option("first")
    director_page.get_by_label("拟收保育教育费（元/月）").fill("700")
    for box in director_page.locator(".checklist-box input[type=checkbox]").all():
        box.check()
    director_page.get_by_role("button", name="提交申请").click()
    expect(director_page.locator("#recognition-status")).to_have_text("已申请，待街道意见")
    assert_no_sideways_scroll(director_page)
    phone.close()

    sign_in(page, live_server, bureau_official)
    recognition = Recognition.objects.get()
    page.goto(live_server.url + recognition.get_absolute_url())
    page.get_by_label("街道意见").select_option("agree")
    page.get_by_label("说明").fill("街道核实，同意认定")
    page.get_by_role("button", name="录入街道意见").click()
    expect(page.locator("#recognition-status")).to_have_text("待区教委审核")
    # Recognised from a day long enough ago that the recognition has lapsed by now: time moved.
    start = datetime.date.today() - datetime.timedelta(days=3 * 365 + 30)
    page.get_by_label("日期").fill(start.isoformat())
    page.get_by_role("button", name="认定", exact=True).click()
    expect(page.locator("#recognition-status")).to_have_text("已认定")
    expect(page.get_by_text("已过有效期")).to_be_visible()
    kg = Kindergarten.objects.get(pk=private_kg.pk)
    assert kg.inclusive_status == InclusiveStatus.INCLUSIVE_PRIVATE and kg.recognition_date == start
    assert not kg.is_inclusive_on(datetime.date.today())

    page.get_by_label("说明").fill("年度复核合格，延续认定")
    page.get_by_role("button", name="延续认定").click()
    expect(page.get_by_text("已延续认定")).to_be_visible()
    expect(page.get_by_text("已过有效期")).to_have_count(0)
    kg.refresh_from_db()
    assert kg.recognition_date == datetime.date.today() and kg.is_inclusive_on(datetime.date.today())
    assert Recognition.objects.get().status == RecognitionStatus.RECOGNISED


def test_a_fee_above_its_cap_raises_an_alert_the_bureau_resolves(
    browser: Browser, page: Page, live_server, kg_a, director_a, bureau_official
):
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    director_page = phone.new_page()
    sign_in(director_page, live_server, director_a)
    director_page.goto(live_server.url + reverse("governance:fee_filing_add"))
    director_page.get_by_label("办园等级").select_option("first")
    director_page.get_by_label("保育教育费（元/月）").fill("880")
    director_page.get_by_label("伙食费（元/月）").fill("450")
    director_page.get_by_role("button", name="备案").click()
    expect(director_page.get_by_text("超过限价").first).to_be_visible()
    assert_no_sideways_scroll(director_page)
    phone.close()

    alert = FeeAlert.objects.get()
    sign_in(page, live_server, bureau_official)
    page.goto(live_server.url + reverse("governance:fee_alert_list") + "?status=open")
    page.get_by_role("link", name=kg_a.name).click()
    page.get_by_label("处理说明").fill("已约谈园长，按限价调整并退还多收费用")
    page.get_by_role("button", name="标记已处理").click()
    expect(page.locator("#alert-status")).to_have_text("已处理")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED and alert.resolved_by == bureau_official
