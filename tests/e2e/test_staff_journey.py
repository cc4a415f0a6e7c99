"""The staff registry in real Chromium: a director on a phone (390×844) adds a teacher with her
certificate and sees the staffing check turn met; a bureau official imports a staff workbook and
finds the kindergartens short of staff in a sub-district, then the principals behind on credits
and one principal's development file. No staff page scrolls sideways on the phone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from staff.choices import CareerStage, StaffRole, TrainingLevel, TrainingMode
from staff.models import Person, StaffMember, TrainingRecord
from staff.services import stage_record
from tests.staff.conftest import add_classes, staff_to_standard
from tests.staff.factories import StaffMemberFactory, id_number
from tests.staff.workbooks import staff_row, staff_workbook

from .conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def sign_in(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def assert_no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


def test_a_director_adds_a_teacher_on_a_phone_and_the_check_turns_met(browser: Browser, live_server, director_a, kg_a):
    staff_to_standard(kg_a)
    StaffMember.objects.filter(kindergarten=kg_a, role=StaffRole.TEACHER).first().delete()  # one teacher short
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = phone.new_page()
    sign_in(page, live_server, director_a)

    page.goto(f"{live_server.url}{reverse('staff:index')}")
    per_class = page.locator('[data-check="per_class"]')
    expect(per_class).to_have_class("unmet")
    expect(per_class).to_contain_text("专任教师 3 人")
    assert_no_sideways_scroll(page)

    page.get_by_role("link", name="添加教职工").click()
    assert_no_sideways_scroll(page)
    number = id_number(321, birth="19960412")
    page.get_by_label("姓名").fill("孙悦")
    page.get_by_label("身份证号码").fill(number)
    page.get_by_label("性别").select_option(label="女")
    page.get_by_label("出生日期").fill("1996-04-12")
    page.get_by_label("最高学历").select_option(label="本科")
    page.get_by_label("岗位").select_option(label="专任教师")
    page.get_by_label("编制情况").select_option(label="合同制")
    page.get_by_label("入职日期").fill("2025-09-01")
    page.locator("[name=cert-0-kind]").select_option(label="教师资格证")
    page.locator("[name=cert-0-number]").fill("20181101234567")
    page.locator("[name=cert-0-issued_on]").fill("2018-07-01")
    page.locator("[name=cert-1-kind]").select_option(label="健康证")
    page.locator("[name=cert-1-number]").fill("JK2025-0301")
    page.locator("[name=cert-1-issued_on]").fill("2026-08-20")
    page.locator("[name=cert-1-expires_on]").fill("2027-08-19")
    page.get_by_role("button", name="保存").click()

    expect(page.locator(".messages")).to_contain_text("已添加教职工：孙悦")
    expect(page.locator('[data-check="per_class"]')).to_have_class("met")
    expect(page.locator("#staff")).to_contain_text("孙悦")
    expect(page.locator("#staff")).to_contain_text("*" * 14 + number[-4:])
    assert number not in page.content()
    assert_no_sideways_scroll(page)
    person = Person.objects.get(name="孙悦")
    assert person.certificates.count() == 2

    page.locator("#staff").get_by_role("link", name="孙悦").click()
    expect(page.locator("#certificates")).to_contain_text("教师资格证")
    assert_no_sideways_scroll(page)
    phone.close()


def test_the_bureau_imports_a_workbook_and_finds_the_kindergartens_short_of_staff(
    page: Page, live_server, bureau_official, kg_a, kg_b, kg_c, tmp_path
):
    add_classes(kg_b, 25, 25)
    add_classes(kg_c, 30, 30)
    roles = ["园长", "专任教师", "专任教师", "专任教师", "专任教师", "保育员", "保育员", "卫生保健人员", "炊事人员"]
    rows = [
        staff_row(kg_b.code, f"望京{n}", id_number(600 + n), **{"岗位": role}) for n, role in enumerate(roles)
    ] + [  # 双井阳光: a principal and two teachers for two classes of 30
        staff_row(kg_c.code, f"双井{n}", id_number(700 + n), **{"岗位": role})
        for n, role in enumerate(["园长", "专任教师", "专任教师"])
    ]
    workbook = tmp_path / "教职工名册.xlsx"
    workbook.write_bytes(staff_workbook(rows).read())

    sign_in(page, live_server, bureau_official)
    page.goto(f"{live_server.url}{reverse('staff:import')}")
    page.get_by_label("Excel 文件").set_input_files(str(workbook))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.locator(".messages")).to_contain_text("新增岗位 12 个")

    # 43 sub-districts: the select is searchable (Tom Select); type to narrow, then pick.
    page.locator("#id_subdistrict + .ts-wrapper").click()
    page.get_by_role("combobox", name="街道/地区").fill("双井")
    page.locator(".ts-dropdown").get_by_role("option", name="双井", exact=True).click()
    page.get_by_label("配备达标").select_option(label="否")
    page.get_by_role("button", name="筛选").click()
    table = page.locator("table.table")
    expect(table).to_contain_text(kg_c.name)
    expect(table).not_to_contain_text(kg_b.name)
    page.get_by_role("link", name=kg_c.name).click()
    expect(page.locator('[data-check="per_class"]')).to_have_class("unmet")
    expect(page.locator('[data-check="health_staff"]')).to_contain_text("至少需 1 人")


def test_the_bureau_finds_a_principal_behind_on_credits_and_opens_their_file(
    page: Page, live_server, bureau_official, kg_a, kg_b, kg_c
):
    today = timezone.localdate()
    behind = StaffMemberFactory(kindergarten=kg_a, role=StaffRole.PRINCIPAL, person__name="朝阳甲")
    on_track = StaffMemberFactory(kindergarten=kg_b, role=StaffRole.PRINCIPAL, person__name="望京乙")
    StaffMemberFactory(kindergarten=kg_c, role=StaffRole.PRINCIPAL, person__name="双井丙")  # no stage: behind
    for post, earned in ((behind, 4), (on_track, 12)):  # the reserve stage asks 10 credits a year
        stage_record(person=post.person, stage=CareerStage.RESERVE, since=date(2022, 3, 1), user=bureau_official)
        TrainingRecord.objects.create(
            person=post.person,
            kindergarten=post.kindergarten,
            title="园长任职资格培训",
            attended_on=today,
            hours=Decimal(earned) * 2,
            credits=Decimal(earned),
            level=TrainingLevel.DISTRICT,
            mode=TrainingMode.OFFLINE,
        )

    sign_in(page, live_server, bureau_official)
    page.goto(f"{live_server.url}{reverse('staff:principal_list')}")
    page.locator("nav.dev-subnav").get_by_role("link", name="学分", exact=True).click()
    page.wait_for_url(lambda url: reverse("staff:principal_credits") in url)
    page.get_by_label("学分未达标").select_option(label="是")
    page.get_by_role("button", name="筛选").click()
    table = page.locator("table.table")
    expect(table).to_contain_text("朝阳甲")
    expect(table).to_contain_text("双井丙")
    expect(table).not_to_contain_text("望京乙")

    page.get_by_label("搜索").fill("朝阳甲")
    page.get_by_role("button", name="筛选").click()
    expect(table).not_to_contain_text("双井丙")
    table.get_by_role("link", name="朝阳甲").click()
    page.wait_for_url(lambda url: reverse("staff:principal_detail", args=[behind.person_id]) in url)
    expect(page.locator("h1")).to_contain_text("朝阳甲")
    expect(page.locator("#credits")).to_contain_text(str(today.year))
