"""Major-hazard supervision: the ladder on hand-computed dates, who sees which order at which level,
interviews and notices, the link to a rectification order, and the ageing of overdue hazards."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import Role
from safety import services
from safety.ageing import overdue_ageing
from safety.choices import (
    HazardStatus,
    InterviewParty,
    Severity,
    SupervisionEventKind,
    SupervisionLevel,
    SupervisionStatus,
)
from safety.forms import RectificationLinkForm
from safety.models import Hazard, SupervisionLadder, SupervisionOrder
from safety.tasks import escalate_supervision_task
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.helpers import assert_api_scope
from tests.inspections.factories import PDF_BYTES, upload
from tests.inspections.factories import order as rectification_order

from .conftest import open_hazard, photo

pytestmark = pytest.mark.django_db

FOUND = datetime.date(2025, 11, 1)  # a major hazard found then is due 2025-11-08 (7 days)


def day(month: int, d: int) -> datetime.date:
    return datetime.date(2025, month, d)


@pytest.fixture
def major(inspector, kg_b):
    """A major hazard of B (望京), found 2025-11-01, due 2025-11-08, opened by its inspector."""
    return open_hazard(kg_b, inspector, severity=Severity.MAJOR, found_on=FOUND)


@pytest.fixture
def shuangjing_official(shuangjing):
    return UserFactory(username="shuangjing", role=Role.SUBDISTRICT_OFFICIAL, subdistrict=shuangjing)


def order_of(hazard: Hazard) -> SupervisionOrder:
    return SupervisionOrder.objects.get(hazard=hazard)


def escalate_to_subdistrict(hazard: Hazard) -> SupervisionOrder:
    services.supervision_escalate(today=hazard.deadline + datetime.timedelta(days=1))
    return order_of(hazard)


# --- the order and its ladder ----------------------------------------------------------------------


def test_it_opens_an_order_with_a_major_hazard_and_none_with_a_general_one(inspector, kg_b, major):
    order = order_of(major)
    assert (order.level, order.status, order.issued_by) == (SupervisionLevel.KINDERGARTEN, "open", inspector)
    assert [(e.kind, e.to_level, e.by) for e in order.events.all()] == [
        (SupervisionEventKind.OPENED, SupervisionLevel.KINDERGARTEN, inspector)
    ]
    general = open_hazard(kg_b, inspector, found_on=FOUND)
    assert not SupervisionOrder.objects.filter(hazard=general).exists()


def test_it_climbs_the_ladder_on_hand_computed_dates_once_a_day(major):
    assert major.deadline == day(11, 8)
    steps = [
        (day(11, 8), SupervisionLevel.KINDERGARTEN),  # due today: not yet missed
        (day(11, 9), SupervisionLevel.SUBDISTRICT),  # 1 day overdue
        (day(11, 9), SupervisionLevel.SUBDISTRICT),  # the same day again: nothing new
        (day(11, 14), SupervisionLevel.SUBDISTRICT),  # 6 days
        (day(11, 15), SupervisionLevel.BUREAU),  # 7 days
        (day(12, 31), SupervisionLevel.BUREAU),  # the top rung: stays
    ]
    for today, level in steps:
        services.supervision_escalate(today=today)
        assert order_of(major).level == level, today
    escalations = order_of(major).events.filter(kind=SupervisionEventKind.ESCALATED)
    assert [(e.day, e.from_level, e.to_level, e.by) for e in escalations] == [
        (day(11, 9), SupervisionLevel.KINDERGARTEN, SupervisionLevel.SUBDISTRICT, None),
        (day(11, 15), SupervisionLevel.SUBDISTRICT, SupervisionLevel.BUREAU, None),
    ]
    assert "已逾期 7 天" in escalations.last().reason and "2025-11-08" in escalations.last().reason


def test_it_jumps_straight_to_the_bureau_in_one_event_and_reports_what_it_did(major):
    summary = services.supervision_escalate(today=day(11, 20))
    assert summary.escalated == {SupervisionLevel.BUREAU: 1}
    event = order_of(major).events.get(kind=SupervisionEventKind.ESCALATED)
    assert (event.from_level, event.to_level) == (SupervisionLevel.KINDERGARTEN, SupervisionLevel.BUREAU)
    assert "已逾期 12 天" in event.reason
    assert services.supervision_escalate(today=day(11, 20)).escalated == {}


def test_a_new_ladder_version_applies_from_its_first_day(major):
    SupervisionLadder.objects.update(valid_to=day(11, 30))
    newer = SupervisionLadder(
        name="新规则", source="区教委通知", valid_from=day(12, 1), subdistrict_after_days=30, bureau_after_days=60
    )
    newer.full_clean()
    newer.save()
    services.supervision_escalate(today=day(12, 1))  # 23 days overdue: below the new first rung
    assert order_of(major).level == SupervisionLevel.KINDERGARTEN
    services.supervision_escalate(today=day(11, 30))  # the old ladder: 22 days ≥ 7
    assert order_of(major).level == SupervisionLevel.BUREAU


def test_ladder_versions_may_not_overlap_and_climb_upwards():
    clash = SupervisionLadder(name="x", source="y", valid_from=day(1, 1), subdistrict_after_days=5, bureau_after_days=3)
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "bureau_after_days" in error.value.message_dict
    clash.bureau_after_days = 10
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "valid_from" in error.value.message_dict


def test_a_hazard_not_overdue_is_never_escalated(inspector, kg_b):
    hazard = open_hazard(kg_b, inspector, severity=Severity.MAJOR, found_on=day(11, 1))
    services.supervision_escalate(today=day(11, 8))
    assert order_of(hazard).level == SupervisionLevel.KINDERGARTEN
    assert not order_of(hazard).events.filter(kind=SupervisionEventKind.ESCALATED).exists()


def test_closing_the_hazard_closes_its_order(inspector, director_b, major):
    services.hazard_submit(hazard=major, user=director_b, note="已整改", photos=[photo()])
    services.hazard_close(hazard=major, user=inspector, day=day(11, 10))
    order = order_of(major)
    assert (order.status, order.closed_on) == (SupervisionStatus.CLOSED, day(11, 10))
    assert order.events.last().kind == SupervisionEventKind.CLOSED
    services.supervision_escalate(today=day(12, 31))
    assert order_of(major).level == SupervisionLevel.KINDERGARTEN  # a closed order never climbs


def test_the_daily_run_closes_an_order_whose_hazard_was_closed_elsewhere(major):
    Hazard.objects.filter(pk=major.pk).update(status=HazardStatus.CLOSED, closed_on=day(11, 12))
    summary = services.supervision_escalate(today=day(11, 20))
    assert (summary.closed, summary.escalated) == (1, {})
    assert order_of(major).status == SupervisionStatus.CLOSED


def test_the_command_and_the_task_run_the_same_service(major, capsys):
    call_command("escalate_supervision", "--date", "2025-11-09")
    assert "升级 1 件" in capsys.readouterr().out
    assert order_of(major).level == SupervisionLevel.SUBDISTRICT
    assert escalate_supervision_task("2025-11-15")["escalated"] == {SupervisionLevel.BUREAU: 1}


def test_the_bureau_opens_an_order_by_hand_for_an_older_major_hazard(client, bureau_official, inspector, kg_b, major):
    SupervisionOrder.objects.filter(hazard=major).delete()
    page = client_for(client, bureau_official).get(major.get_absolute_url())
    assert page.context["can_open_supervision"] and page.context["supervision"] is None
    response = client.post(reverse("safety:supervision_open", args=[major.pk]))
    order = order_of(major)
    assert response.url == order.get_absolute_url() and order.issued_by == bureau_official
    client.post(reverse("safety:supervision_open", args=[major.pk]))
    assert SupervisionOrder.objects.filter(hazard=major).count() == 1
    general = open_hazard(kg_b, inspector)
    with pytest.raises(ValidationError):
        services.supervision_open(hazard=general, user=bureau_official)


def test_only_those_who_open_hazards_open_an_order(director_b, wangjing_official, major):
    SupervisionOrder.objects.filter(hazard=major).delete()
    for user in (director_b, wangjing_official):
        with pytest.raises(PermissionDenied):
            services.supervision_open(hazard=major, user=user)


# --- who sees which order ----------------------------------------------------------------------------


def test_a_subdistrict_official_sees_an_order_once_it_reaches_their_level(
    client, wangjing_official, shuangjing_official, director_a, director_b, inspector, bureau_official, major
):
    url = order_of(major).get_absolute_url()
    official = client_for(client, wangjing_official)
    assert official.get(url).status_code == 404
    assert list(official.get(reverse("safety:supervision_list")).context["table"].data) == []
    order = escalate_to_subdistrict(major)
    assert official.get(url).status_code == 200
    assert [o.pk for o in official.get(reverse("safety:supervision_list")).context["table"].data] == [order.pk]
    for user, status in ((shuangjing_official, 404), (director_a, 404), (director_b, 200), (inspector, 200)):
        assert client_for(client, user).get(url).status_code == status, user
    bureau = client_for(client, bureau_official).get(reverse("safety:supervision_list") + "?level=subdistrict")
    assert [o.pk for o in bureau.context["table"].data] == [order.pk]


def test_the_api_is_scoped_like_the_pages(
    api_client, personas, shuangjing_official, inspector, kg_a, kg_c, bureau_official, major
):
    of_a = open_hazard(kg_a, bureau_official, severity=Severity.MAJOR, found_on=FOUND)
    of_c = open_hazard(kg_c, bureau_official, severity=Severity.MAJOR, found_on=day(12, 20))
    services.supervision_escalate(today=day(12, 1))  # B and A escalated, C not yet due
    ids = {name: order_of(h).pk for name, h in (("A", of_a), ("B", major), ("C", of_c))}
    expected = {
        "bureau_official": "ABC",
        "wangjing_official": "AB",
        "director_a": "A",
        "director_b": "B",
        "inspector": "BC",
    }
    for persona, names in expected.items():
        visible = [ids[n] for n in names]
        hidden = [pk for n, pk in ids.items() if n not in names]
        assert_api_scope(api_client, personas[persona], "/api/supervision-orders/", visible, hidden_ids=hidden)
    assert_api_scope(api_client, shuangjing_official, "/api/supervision-orders/", [], hidden_ids=ids.values())
    api_client.force_authenticate(bureau_official)
    row = api_client.get(f"/api/supervision-orders/{ids['B']}/").json()
    assert row["level"] == SupervisionLevel.BUREAU and [e["kind"] for e in row["events"]] == ["opened", "escalated"]
    assert api_client.get("/api/supervision-orders/?level=bureau").json()["count"] == 2


# --- interviews, notices, the rectification order ----------------------------------------------------


def test_the_subdistrict_records_an_interview_and_a_notice_on_an_escalated_order(
    client, wangjing_official, shuangjing_official, director_b, kg_b, major
):
    order = escalate_to_subdistrict(major)
    official = client_for(client, wangjing_official)
    url = reverse("safety:supervision_record", args=[order.pk, "interview"])
    response = official.post(
        url,
        {
            "held_on": "2025-11-10",
            "interviewer": "望京街道 安全办 刘主任",
            "party": InterviewParty.BOTH,
            "attendees": "园长 李某，举办者代表 王某",
            "summary": "限期三日内完成消防通道清理",
            "attachment": upload("约谈记录.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    assert response.status_code == 302
    interview = order.interviews.get()
    assert interview.uploaded_by == wangjing_official and interview.original_name == "约谈记录.pdf"
    notice_url = reverse("safety:supervision_record", args=[order.pk, "notice"])
    bad = official.post(notice_url, {"issued_on": "2025-11-11", "issuer": "望京街道", "party": "both", "audience": ""})
    assert bad.status_code == 200 and "audience" in bad.context["form"].errors and not order.notices.exists()
    official.post(
        notice_url,
        {
            "issued_on": "2025-11-11",
            "issuer": "望京街道",
            "party": "kindergarten",
            "audience": "本街道幼儿园",
            "text": "通报",
        },
    )
    assert order.notices.get().issuer == "望京街道"
    detail = official.get(order.get_absolute_url()).content.decode()
    assert "刘主任" in detail and "本街道幼儿园" in detail
    profile = client_for(client, director_b).get(reverse("safety:profile_detail", args=[kg_b.pk])).content.decode()
    assert "刘主任" in profile and "本街道幼儿园" in profile
    file_url = interview.get_file_url()
    assert client_for(client, director_b).get(file_url).status_code == 200
    assert client_for(client, shuangjing_official).get(file_url).status_code == 404
    assert client_for(client, shuangjing_official).get(url).status_code == 404
    assert client_for(client, director_b).get(url).status_code == 403


def test_a_subdistrict_official_cannot_act_before_the_order_reaches_them(wangjing_official, bureau_official, major):
    order = order_of(major)
    with pytest.raises(ValidationError):
        services.interview_record(
            order=order, user=wangjing_official, held_on=day(11, 3), interviewer="x", attendees="y", summary="z"
        )
    services.interview_record(
        order=order, user=bureau_official, held_on=day(11, 3), interviewer="区教委", attendees="园长", summary="约谈"
    )
    assert order.interviews.count() == 1


def test_the_rectification_order_choices_are_the_kindergartens_own(
    client, bureau_official, inspector, kg_b, kg_c, major
):
    order = order_of(major)
    own = rectification_order(kg_b, bureau_official)
    other = rectification_order(kg_c, bureau_official)
    form = RectificationLinkForm(order=order, user=bureau_official)
    assert list(form.fields["rectification_order"].queryset) == [own]
    page = client_for(client, bureau_official)
    url = reverse("safety:supervision_link", args=[order.pk])
    bad = page.post(url, {"rectification_order": other.pk})
    assert bad.status_code == 200 and "rectification_order" in bad.context["form"].errors
    assert page.post(url, {"rectification_order": own.pk}).status_code == 302
    assert order_of(major).rectification_order == own
    assert own.get_absolute_url() in page.get(order.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError):
        services.supervision_link(order=order, rectification_order=other, user=bureau_official)


# --- the overdue picture -------------------------------------------------------------------------------


def test_the_ageing_buckets_count_hand_made_hazards(bureau_official, inspector, director_b, kg_a, kg_b):
    today = day(11, 30)

    def overdue_by(n: int, severity=Severity.GENERAL, kg=kg_a):
        days = 7 if severity == Severity.MAJOR else 30
        return open_hazard(kg, bureau_official, severity=severity, found_on=today - datetime.timedelta(days=n + days))

    for n in (1, 7, 8, 30, 31, 90, 91, 400):
        overdue_by(n)
    overdue_by(3, Severity.MAJOR)
    overdue_by(0)  # due today: not overdue
    closed = overdue_by(50, kg=kg_b)
    services.hazard_submit(hazard=closed, user=director_b, note="已整改", photos=[photo()])
    services.hazard_close(hazard=closed, user=inspector, day=today)
    with CaptureQueriesContext(connection) as captured:
        rows = overdue_ageing(Hazard.objects.visible_to(bureau_official), today)
    assert len(captured) == 1
    assert [(r.key, r.counts["general"], r.counts["major"]) for r in rows] == [
        ("1-7", 2, 1),
        ("8-30", 2, 0),
        ("31-90", 2, 0),
        ("90+", 2, 0),
    ]


def test_the_overdue_page_shows_the_chart_and_its_table(client, bureau_official, kg_a):
    open_hazard(kg_a, bureau_official, severity=Severity.MAJOR, found_on=datetime.date.today() - datetime.timedelta(10))
    page = client_for(client, bureau_official).get(reverse("safety:hazard_overdue"))
    html = page.content.decode()
    assert 'id="ageing-chart"' in html and 'id="ageing-data"' in html and "echarts.min.js" in html
    assert page.context["ageing_chart"]["series"][1]["data"] == [1, 0, 0, 0]


def test_the_list_costs_the_same_queries_however_many_orders(client, bureau_official, kg_a, kg_b, kg_c):
    client = client_for(client, bureau_official)

    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("safety:supervision_list")).status_code == 200
        return len(captured)

    open_hazard(kg_a, bureau_official, severity=Severity.MAJOR, found_on=FOUND)
    few = cost()
    for kg in (kg_a, kg_b, kg_c, kg_b, kg_c):
        hazard = open_hazard(kg, bureau_official, severity=Severity.MAJOR, found_on=FOUND)
        services.supervision_link(
            order=order_of(hazard), rectification_order=rectification_order(kg, bureau_official), user=bureau_official
        )
    services.supervision_escalate(today=day(11, 20))
    assert cost() == few


# --- demo data -------------------------------------------------------------------------------------


def test_the_demo_covers_every_level_and_runs_twice(wangjing, kg_c):
    import random

    from safety.demo.supervision import seed_supervision
    from safety.models import SafetyRuleSet
    from tests.factories import KindergartenFactory

    UserFactory(username="bureau", role=Role.BUREAU_OFFICIAL)
    UserFactory(username="wangjing", role=Role.SUBDISTRICT_OFFICIAL, subdistrict=wangjing)
    demo = [KindergartenFactory(code=f"DEMO-{n}", subdistrict=wangjing) for n in range(3)] + [kg_c]
    rules, today = SafetyRuleSet.objects.get(), datetime.date(2026, 3, 1)
    assert seed_supervision(random.Random(2025), demo, today, rules) == "重大隐患督办 2 件"
    assert seed_supervision(random.Random(2025), demo, today, rules) == "重大隐患督办 0 件"
    orders = {o.level: o for o in SupervisionOrder.objects.all()}
    assert set(orders) == {SupervisionLevel.SUBDISTRICT, SupervisionLevel.BUREAU}
    top = orders[SupervisionLevel.BUREAU]
    assert [e.day for e in top.events.filter(kind=SupervisionEventKind.ESCALATED)] == [
        top.hazard.deadline + datetime.timedelta(days=1),
        top.hazard.deadline + datetime.timedelta(days=7),
    ]
    assert top.interviews.count() == 2 and top.notices.count() == 1
    assert top.rectification_order.kindergarten == top.hazard.kindergarten
