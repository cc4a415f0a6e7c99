"""Incidents, the footage register and posts in real Chromium: a director at a 360 px phone records
an incident (a name is refused, initials are kept), records a footage request, approves it, hands
the copy over and finds the entry locked; no record page scrolls sideways on the phone."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from safety.choices import FootageStatus
from safety.models import FootageHandover, FootageRequest, Incident

from .test_safety_pages import PHONE, assert_no_sideways_scroll, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_director_keeps_the_records_on_a_phone(browser: Browser, page: Page, live_server, director_b, kg_b):
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    director = phone.new_page()
    sign_in(director, live_server, director_b)

    director.goto(f"{live_server.url}{reverse('safety:incident_add')}")
    assert_no_sideways_scroll(director)
    director.get_by_label("发生地点").fill("户外滑梯")
    director.get_by_label("幼儿（姓名首字母）").fill("王小明")
    director.get_by_label("幼儿年龄（岁）").fill("4")
    director.get_by_label("事故经过").fill("从滑梯滑下时擦伤膝盖")
    director.get_by_role("button", name="保存").click()
    expect(director.locator(".field.has-error")).to_contain_text("不要填写姓名")
    assert not Incident.objects.exists()
    director.get_by_label("幼儿（姓名首字母）").fill("wxm")
    director.get_by_role("button", name="保存").click()
    expect(director.locator("h1")).to_contain_text("伤害事故")
    assert Incident.objects.get().child_initials == "W.X.M."
    assert_no_sideways_scroll(director)

    director.goto(f"{live_server.url}{reverse('safety:footage_add')}")
    director.get_by_label("申请事项").select_option("copy")
    director.locator("#id_requester_name").fill("刘警官")
    director.get_by_label("申请人单位").fill("朝阳分局望京派出所")
    director.get_by_label("申请理由").fill("核实门口剐蹭经过")
    director.get_by_label("监控点位").fill("1 号门厅")
    director.get_by_label("录像起始时间").fill("2025-03-03T08:00")
    director.get_by_label("录像结束时间").fill("2025-03-03T09:00")
    director.get_by_role("button", name="保存").click()
    expect(director.locator("#decide")).to_be_visible()
    entry = FootageRequest.objects.get()
    assert_no_sideways_scroll(director)

    director.get_by_label("批准", exact=True).check()
    director.get_by_role("button", name="提交审批").click()
    expect(director.locator("#locked")).to_be_visible()
    entry.refresh_from_db()
    assert entry.status == FootageStatus.APPROVED and entry.decided_by == director_b

    director.get_by_label("复制内容").fill("1 号门厅 8:00–9:00 录像，U 盘 1 个")
    director.get_by_label("移交对象").fill("刘警官（望京派出所）")
    director.get_by_role("button", name="登记移交").click()
    expect(director.locator("#handover")).to_contain_text("刘警官（望京派出所）")
    assert FootageHandover.objects.filter(request=entry).exists()

    response = director.goto(f"{live_server.url}{reverse('safety:footage_edit', args=[entry.pk])}")
    assert response.status == 403
    expect(director.locator("#locked")).to_contain_text("不能再修改或删除")

    for url in (
        reverse("safety:incident_list"),
        reverse("safety:dispute_add"),
        reverse("safety:footage_list"),
        reverse("safety:post_add"),
        reverse("safety:post_list"),
        reverse("safety:profile_detail", args=[kg_b.pk]),
    ):
        director.goto(f"{live_server.url}{url}")
        assert_no_sideways_scroll(director)
    phone.close()
