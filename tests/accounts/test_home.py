"""Each role's home page: the director's to-do list, the inspector's tasks, the official's and
the bureau's dashboard with what is late on top — within each one's scope — and the navigation."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.due import DueItem, Severity, due_items, providers
from enrollment.choices import SubmissionStatus
from enrollment.models import SchoolYear
from inspections.choices import IssueStatus
from inspections.models import QualityIssue
from safety.choices import HazardStatus
from safety.models import Hazard
from tests.conftest import client_for
from tests.enrollment.factories import SchoolYearFactory, SubmissionFactory
from tests.factories import KindergartenFactory
from tests.inspections.factories import assign, cycle, order, quality_issue
from tests.safety.conftest import open_hazard

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def world(personas, kg_a, kg_b, kg_c, tmp_path, settings):
    """kg_a owes its enrolment report (5 days late), has a self-assessment due in 10 days, an open
    order and an open hazard; kg_b has reported and has an issue waiting for verification; kg_c
    has an order the inspector issued and a hazard submitted for verification."""
    settings.MEDIA_ROOT = tmp_path
    bureau, inspector = personas["bureau_official"], personas["inspector"]
    year = SchoolYearFactory(start_year=SchoolYear.start_year_for(TODAY), submission_due=days(-5))
    SubmissionFactory(
        kindergarten=kg_b, school_year=year, status=SubmissionStatus.SUBMITTED, submitted_at=timezone.now()
    )
    evaluation_cycle = cycle(by=bureau)
    assignment = assign(evaluation_cycle, kg_a)
    type(assignment).objects.filter(pk=assignment.pk).update(self_assessment_due=days(10))
    order(kg_a, bureau, deadline=20)
    order(kg_c, inspector, deadline=-2)
    open_hazard(kg_a, bureau, description="楼梯扶手松动")
    submitted = open_hazard(kg_c, bureau, description="消防通道堵塞")
    Hazard.objects.filter(pk=submitted.pk).update(status=HazardStatus.SUBMITTED)
    quality_issue(evaluation_cycle, kg_b, status=IssueStatus.REPORTED, description="户外活动时间不足")
    return {"year": year, "cycle": evaluation_cycle}


def titles(response) -> list[str]:
    return [str(item.title) for item in response.context["items"]]


def test_it_lists_a_directors_work_late_first_each_with_a_date_and_a_button(client, world, director_a):
    response = client_for(client, director_a).get(reverse("home"))
    assert response.status_code == 200
    items = response.context["items"]
    kinds = [str(item.kind) for item in items]
    assert kinds[0] == "在园报送"  # the only late item comes first
    first = items[0]
    assert first.is_late and first.days_late == 5 and first.due_on == days(-5)
    assert first.url == reverse("enrollment:report", args=[director_a.kindergarten_id, world["year"].start_year])
    assert {"质量评估", "整改通知", "平安校园"} <= set(kinds)
    dates = [item.due_on for item in items[1:] if item.due_on]
    assert dates == sorted(dates)
    content = response.content.decode()
    assert "已逾期 5 天" in content and "去报送" in content and "楼梯扶手松动" in content
    assert "消防通道堵塞" not in content  # kg_c's hazard


def test_it_shows_a_director_nothing_of_another_kindergarten(client, world, director_b):
    response = client_for(client, director_b).get(reverse("home"))
    kinds = [str(item.kind) for item in response.context["items"]]
    assert "在园报送" not in kinds  # kg_b has reported
    assert "整改通知" not in kinds  # the open orders are kg_a's and kg_c's
    assert "楼梯扶手松动" not in response.content.decode()


def test_it_shows_a_returned_report_as_to_be_changed(client, world, director_a, kg_a):
    SubmissionFactory(
        kindergarten=kg_a, school_year=world["year"], status=SubmissionStatus.DRAFT, submitted_at=timezone.now()
    )
    response = client_for(client, director_a).get(reverse("home"))
    enrolment = [i for i in response.context["items"] if str(i.kind) == "在园报送"]
    assert [str(i.action) for i in enrolment] == ["修改并报送"]


def test_it_lists_an_inspectors_verifications_and_follow_ups_on_their_kindergartens(client, world, inspector):
    response = client_for(client, inspector).get(reverse("home"))
    assert response.status_code == 200
    found = titles(response)
    assert "待验证整改：望京花园幼儿园" in found
    assert "整改跟进：双井阳光幼儿园" in found
    assert "隐患待验收：双井阳光幼儿园" in found
    assert not any("望京第一幼儿园" in t for t in found)  # kg_a is not assigned to them
    assert response.context["items"][0].title == "整改跟进：双井阳光幼儿园"  # late first


def test_it_gives_a_subdistrict_official_their_areas_dashboard_with_what_is_late(client, world, wangjing_official):
    response = client_for(client, wangjing_official).get(reverse("home"))
    assert response.status_code == 200
    assert "reports/dashboard.html" in [t.name for t in response.templates]
    assert response.context["board"].subdistrict == wangjing_official.subdistrict
    late = [str(item.title) for item in response.context["attention"]]
    assert "1 所幼儿园逾期未报送在园情况" in late  # kg_a; kg_c is in 双井
    assert not any("整改通知" in t for t in late)  # kg_c's late order is outside the area


def test_it_gives_the_bureau_the_dashboard_and_what_needs_attention(client, world, bureau_official):
    response = client_for(client, bureau_official).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["board"].subdistrict is None
    late = [str(item.title) for item in response.context["attention"]]
    assert "2 所幼儿园逾期未报送在园情况" in late
    assert "1 份整改通知逾期未整改" in late
    assert 'id="attention"' in response.content.decode()


def test_it_finds_every_apps_provider_without_the_home_knowing_them():
    modules = {provider.__module__ for provider in providers()}
    assert {"enrollment.due", "inspections.due", "safety.due"} <= modules


def test_it_orders_items_late_first_then_by_date():
    def item(title, due, late=0):
        severity = Severity.LATE if late else Severity.DUE
        return DueItem(title, "k", due, late, "/", "go", severity)

    items = [item("b", days(3)), item("c", days(-1), 1), item("a", days(1)), item("d", days(-9), 9)]
    assert [i.title for i in sorted(items, key=lambda i: i.sort_key)] == ["d", "c", "a", "b"]


def home_queries(client, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["director_a", "inspector"])
def test_it_draws_the_home_in_a_fixed_number_of_queries(client, world, personas, persona, kg_a, kg_b, kg_c):
    user = personas[persona]
    client_for(client, user)
    client.get(reverse("home"))  # warm the session and the caches
    before = home_queries(client, user)
    bureau = personas["bureau_official"]
    for _ in range(3):
        open_hazard(kg_a, bureau)
        order(kg_a, bureau, deadline=5)
        quality_issue(world["cycle"], kg_b, status=IssueStatus.REPORTED)
        quality_issue(world["cycle"], kg_a)
        order(kg_c, user if persona == "inspector" else bureau, deadline=3)
    assert len(due_items(user, TODAY)) > 3
    assert home_queries(client, user) == before
    # Pinned; 3 of them are the session, the user and the bell (an unchanged session is not written).
    assert before == {"director_a": 13, "inspector": 7}[persona]


def test_it_draws_the_bureau_home_in_a_fixed_number_of_queries(client, world, bureau_official, wangjing):
    client_for(client, bureau_official).get(reverse("home"))
    before = home_queries(client, bureau_official)
    for _ in range(4):
        kg = KindergartenFactory(subdistrict=wangjing)
        open_hazard(kg, bureau_official, found_on=days(-90))
    assert home_queries(client, bureau_official) == before


NAV_BUREAU_ONLY = ["街道/地区", "名称规范", "人口数据", ">API<", "数据导入", "仪表盘"]


def nav(response) -> str:
    html = response.content.decode()
    start = html.index('id="mainnav"')
    return html[start : html.index("</nav>", start)]


def test_it_shows_a_director_only_the_entries_they_can_use(client, world, director_a):
    links = nav(client_for(client, director_a).get(reverse("home")))
    for label in NAV_BUREAU_ONLY:
        assert label not in links
    for label in ("本园", "在园报送", "质量评估", "平安校园"):
        assert label in links


def test_it_shows_the_bureau_its_entries(client, world, bureau_admin):
    links = nav(client_for(client, bureau_admin).get(reverse("home")))
    for label in [*NAV_BUREAU_ONLY, "系统管理"]:
        assert label in links


def test_it_shows_an_inspector_no_dashboard_and_no_enrolment(client, world, inspector):
    links = nav(client_for(client, inspector).get(reverse("home")))
    assert "仪表盘" not in links and "在园报送" not in links and "人口数据" not in links
    assert "质量评估" in links and "平安校园" in links


def test_it_keeps_the_home_for_signed_in_users(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_it_has_a_menu_button_for_phones(client, world, director_a):
    html = client_for(client, director_a).get(reverse("home")).content.decode()
    assert 'class="navtoggle"' in html and 'aria-controls="mainnav"' in html and "js/nav.js" in html


def test_the_open_issue_is_the_directors_to_report(client, world, director_a, kg_a):
    issue = quality_issue(world["cycle"], kg_a, deadline=days(-1))
    response = client_for(client, director_a).get(reverse("home"))
    urls = [item.url for item in response.context["items"]]
    assert reverse("inspections:issue_report", args=[issue.pk]) in urls
    QualityIssue.objects.filter(pk=issue.pk).update(status=IssueStatus.REPORTED)
    response = client.get(reverse("home"))
    assert reverse("inspections:issue_report", args=[issue.pk]) not in [i.url for i in response.context["items"]]


@pytest.mark.parametrize(("tested_ago", "late"), [(None, 0), (31, 1), (30, 0), (29, None)])
def test_it_reminds_a_director_of_the_alarm_test_the_rule_set_asks_for(personas, kg_a, tested_ago, late):
    """Seeded rule set: a test every 30 days; never tested is due today; due on day 30, late after."""
    from safety.models import SafetyProfile

    SafetyProfile.objects.create(
        kindergarten=kg_a,
        alarm_installed=True,
        alarm_last_tested=None if tested_ago is None else days(-tested_ago),
    )
    alarm = [item for item in due_items(personas["director_a"], TODAY) if str(item.title) == "一键式报警测试"]
    if late is None:
        assert alarm == []
    else:
        assert [item.days_late for item in alarm] == [late]
        assert alarm[0].url == reverse("safety:profile_edit", args=[kg_a.pk])
