"""Credit records: the rule at its edges, events drawn from the other modules once, appeals and exit."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from governance import services
from governance.choices import (
    AlertKind,
    AppealStatus,
    CreditEventKind,
    CreditEventStatus,
    CreditLevel,
    CreditSubject,
    ExitKind,
)
from governance.models import CreditEvent, CreditLevelChange, CreditRecord, CreditRule, FeeAlert
from inspections.choices import CaseStatus, ConductCaseKind, EvaluationStatus, OrderReason, OrderStatus, ResultGrade
from inspections.models import ConductCase, ExternalEvaluation, RectificationOrder
from kindergartens.choices import LicenceStatus
from kindergartens.models import Kindergarten
from safety.choices import HazardCategory, HazardStatus, Severity
from safety.models import Hazard

from .conftest import DAY

pytestmark = pytest.mark.django_db


def rule() -> CreditRule:
    return CreditRule.objects.for_day(DAY)


def order(kg, issued_on=DAY, **fields) -> RectificationOrder:
    return RectificationOrder.objects.create(
        kindergarten=kg,
        reason=OrderReason.THREE_DEFENCES,
        description="—",
        issued_on=issued_on,
        deadline=issued_on + datetime.timedelta(days=30),
        **fields,
    )


def major_hazard(kg, deadline, status=HazardStatus.OPEN) -> Hazard:
    return Hazard.objects.create(
        kindergarten=kg,
        category=HazardCategory.FIRE,
        severity=Severity.MAJOR,
        description="消防通道堵塞",
        owner="x",
        found_on=deadline - datetime.timedelta(days=10),
        deadline=deadline,
        status=status,
    )


def record_of(kg) -> CreditRecord:
    return CreditRecord.objects.get(kindergarten=kg)


class TestTheRule:
    def test_the_seeded_rule_is_in_force_and_valid(self):
        current = rule()
        current.full_clean()
        assert (current.base_score, current.a_min, current.b_min, current.c_min) == (100, 90, 75, 60)

    @pytest.mark.parametrize(
        ("score", "level"),
        [(100, "A"), (90, "A"), (89, "B"), (75, "B"), (74, "C"), (60, "C"), (59, "D"), (0, "D")],
    )
    def test_levels_at_their_edges(self, score, level):
        assert rule().level_of(score) == level

    def test_the_score_stays_between_zero_and_the_base(self):
        assert rule().score_of(25) == 100 and rule().score_of(-250) == 0 and rule().score_of(-10) == 90

    def test_the_window_counts_its_first_day_and_not_the_one_before(self, kg_p):
        window = rule().window_days
        first = DAY - datetime.timedelta(days=window - 1)
        order(kg_p, issued_on=first)
        services.credit_refresh(day=DAY)
        assert record_of(kg_p).score == 95
        services.credit_refresh(day=DAY + datetime.timedelta(days=1))
        assert record_of(kg_p).score == 100

    def test_a_rule_with_unknown_kinds_or_disordered_levels_is_refused(self):
        bad = CreditRule(
            name="x", source="x", valid_from=datetime.date(2030, 1, 1), window_days=365, a_min=70, b_min=80, c_min=60
        )
        bad.points = {"speeding": {"kindergarten": -5}}
        with pytest.raises(ValidationError) as error:
            bad.full_clean()
        assert {"a_min", "points"} <= set(error.value.message_dict)

    def test_a_new_version_of_the_rule_applies_from_its_first_day(self, kg_p, bureau_official):
        current = rule()
        current.valid_to = datetime.date(2025, 12, 31)
        current.save()
        CreditRule.objects.create(
            name="新规则",
            source="区教委",
            valid_from=datetime.date(2026, 1, 1),
            window_days=730,
            a_min=95,
            b_min=80,
            c_min=60,
            points={"order": {"kindergarten": -10}},
        )
        order(kg_p)
        services.credit_refresh(day=DAY)
        assert (record_of(kg_p).score, record_of(kg_p).level) == (95, "A")
        services.credit_refresh(day=datetime.date(2026, 1, 1))
        assert (record_of(kg_p).score, record_of(kg_p).level) == (90, "B")


class TestTheRefresh:
    def test_it_draws_each_module_s_events_for_private_kindergartens_only(self, kg_p, kg_a):
        from tests.inspections.factories import cycle, external_evaluation

        order(kg_p, status=OrderStatus.PENALISED, penalty_kind="fine", penalised_on=DAY)
        order(kg_a)  # a public kindergarten: no credit record
        ConductCase.objects.create(
            kind=ConductCaseKind.ETHICS,
            subdistrict=kg_p.subdistrict,
            kindergarten=kg_p,
            reported_on=DAY,
            description="—",
            status=CaseStatus.CLOSED,
            outcome="属实",
            closed_on=DAY,
        )
        ConductCase.objects.create(  # still open: not an event yet
            kind=ConductCaseKind.ETHICS,
            subdistrict=kg_p.subdistrict,
            kindergarten=kg_p,
            reported_on=DAY,
            description="—",
        )
        FeeAlert.objects.create(
            kindergarten=kg_p, kind=AlertKind.ABOVE_CAP, key="2025:x", detail="超限价", raised_on=DAY
        )
        FeeAlert.objects.create(kindergarten=kg_p, kind=AlertKind.NOT_FILED, key="2025", detail="未备案", raised_on=DAY)
        major_hazard(kg_p, deadline=DAY - datetime.timedelta(days=1))
        major_hazard(kg_p, deadline=DAY)  # due today: not missed yet
        major_hazard(kg_p, deadline=DAY - datetime.timedelta(days=5), status=HazardStatus.CLOSED)
        evaluation = external_evaluation(
            cycle(), kg_p, status=EvaluationStatus.PUBLISHED, grade=ResultGrade.UNQUALIFIED
        )
        published = timezone.make_aware(datetime.datetime(2025, 10, 10, 10))
        ExternalEvaluation.objects.filter(pk=evaluation.pk).update(published_at=published)

        assert services.credit_refresh(day=DAY) == 6
        kinds = sorted(CreditEvent.objects.values_list("kind", flat=True))
        assert kinds == sorted(
            [
                CreditEventKind.ORDER,
                CreditEventKind.ORDER_PENALISED,
                CreditEventKind.CONDUCT_CASE,
                CreditEventKind.FEE_ABOVE_CAP,
                CreditEventKind.MAJOR_HAZARD,
                CreditEventKind.EVALUATION_UNQUALIFIED,
            ]
        )
        assert list(CreditRecord.objects.values_list("kindergarten", flat=True)) == [kg_p.pk]
        record = record_of(kg_p)
        # kindergarten 5+15+10+10+15+20 off; sponsor 10+10; principal 5+10+15+10+10
        assert (record.score, record.level) == (25, CreditLevel.D)
        assert (record.sponsor_score, record.sponsor_level) == (80, CreditLevel.B)
        assert (record.principal_score, record.principal_level) == (50, CreditLevel.D)

    def test_running_it_again_adds_nothing(self, kg_p):
        order(kg_p)
        assert services.credit_refresh(day=DAY) == 1
        changes, history = CreditLevelChange.objects.count(), CreditRecord.history.count()
        assert services.credit_refresh(day=DAY) == 0
        call_command("refresh_credit", "--date", DAY.isoformat(), stdout=open("/dev/null", "w"))
        assert CreditEvent.objects.count() == 1 and CreditRecord.objects.count() == 1
        assert CreditLevelChange.objects.count() == changes and CreditRecord.history.count() == history

    def test_the_history_keeps_each_change_of_level(self, kg_p):
        services.credit_refresh(day=DAY)
        for n in range(3):
            order(kg_p, issued_on=DAY + datetime.timedelta(days=n + 1))
        services.credit_refresh(day=DAY + datetime.timedelta(days=3))
        changes = CreditLevelChange.objects.filter(subject=CreditSubject.KINDERGARTEN).order_by("day")
        assert [(c.previous_level, c.level) for c in changes] == [("", "A"), ("A", "B")]

    def test_the_names_follow_the_registry_and_each_change_is_recorded(self, kg_p):
        Kindergarten.objects.filter(pk=kg_p.pk).update(principal="王启航", sponsor_name="北京市朝阳区启航教育发展中心")
        services.credit_refresh(day=DAY)
        record = record_of(kg_p)
        assert (record.principal_name, record.sponsor_name) == ("王启航", "北京市朝阳区启航教育发展中心")
        Kindergarten.objects.filter(pk=kg_p.pk).update(principal="李新", sponsor_name="北京启航教育科技有限公司")
        history = CreditRecord.history.count()
        services.credit_refresh(day=DAY)
        record = record_of(kg_p)
        assert (record.principal_name, record.sponsor_name) == ("李新", "北京启航教育科技有限公司")
        latest, before = record.history.order_by("-history_id")[:2]
        assert (before.principal_name, latest.principal_name) == ("王启航", "李新")
        assert latest.history_change_reason == "园长、举办者名称随幼儿园名录更新"
        assert CreditRecord.history.count() == history + 1
        services.credit_refresh(day=DAY)  # unchanged names: no new history row
        assert CreditRecord.history.count() == history + 1

    def test_its_queries_do_not_grow_with_the_kindergartens_and_old_events_are_not_read(self, wangjing):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.factories import KindergartenFactory

        def private(n: int) -> None:
            for kg in KindergartenFactory.create_batch(
                n, subdistrict=wangjing, sponsor_type="private_nonprofit", inclusive_status="non_inclusive_private"
            ):
                order(kg, status=OrderStatus.PENALISED, penalty_kind="fine", penalised_on=DAY)

        counts = []
        for n in (2, 8):
            private(n)
            with CaptureQueriesContext(connection) as captured:
                assert services.credit_refresh(day=DAY) == 2 * n
            counts.append(len(captured))
        assert counts[0] == counts[1], counts
        with CaptureQueriesContext(connection) as captured:
            assert services.credit_refresh(day=DAY) == 0
        # the events already drawn are never listed (only asked about, per source row, in the database)
        assert not [q["sql"] for q in captured if q["sql"].startswith('SELECT "governance_creditevent"')]

    def test_the_beat_runs_it_daily(self):
        from django.conf import settings

        tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
        assert "governance.credit_refresh" in tasks


@pytest.fixture
def failing(kg_p):
    """P at level D: three penalised orders (3 × 20 off: 40)."""
    for n in range(3):
        order(kg_p, issued_on=DAY - datetime.timedelta(days=40 + n), status=OrderStatus.PENALISED)
    RectificationOrder.objects.update(penalty_kind="fine", penalised_on=DAY)
    services.credit_refresh(day=DAY)
    record = record_of(kg_p)
    assert record.level == CreditLevel.D
    return record


class TestAppeals:
    def test_an_upheld_appeal_withdraws_the_event_and_the_level_is_recomputed(
        self, failing, director_p, bureau_official
    ):
        event = failing.events.filter(kind=CreditEventKind.ORDER_PENALISED).first()
        appeal = services.credit_appeal_file(event=event, user=director_p, grounds="处罚已撤销", day=DAY)
        with pytest.raises(ValidationError):
            services.credit_appeal_file(event=event, user=director_p, grounds="再次申诉", day=DAY)
        services.credit_appeal_decide(appeal=appeal, user=bureau_official, upheld=True, note="属实", day=DAY)
        event.refresh_from_db()
        failing.refresh_from_db()
        assert event.status == CreditEventStatus.WITHDRAWN
        assert (failing.score, failing.level) == (55, CreditLevel.D)
        for other in failing.events.filter(kind=CreditEventKind.ORDER_PENALISED, status="active")[:1]:
            again = services.credit_appeal_file(event=other, user=director_p, grounds="同上", day=DAY)
            services.credit_appeal_decide(appeal=again, user=bureau_official, upheld=True, note="属实", day=DAY)
        failing.refresh_from_db()
        assert (failing.score, failing.level) == (70, CreditLevel.C)
        assert CreditLevelChange.objects.filter(record=failing, previous_level="D", level="C").exists()
        # the refresh does not bring a withdrawn event back
        assert services.credit_refresh(day=DAY) == 0
        failing.refresh_from_db()
        assert failing.level == CreditLevel.C

    def test_a_dismissed_appeal_leaves_the_event(self, failing, director_p, bureau_official):
        event = failing.events.first()
        appeal = services.credit_appeal_file(event=event, user=director_p, grounds="不服", day=DAY)
        services.credit_appeal_decide(appeal=appeal, user=bureau_official, upheld=False, note="不属实", day=DAY)
        event.refresh_from_db()
        appeal.refresh_from_db()
        assert event.status == CreditEventStatus.ACTIVE and appeal.status == AppealStatus.DISMISSED
        # one appeal an event: filing again would keep the public level under review for ever
        with pytest.raises(ValidationError, match="不能再次申诉"):
            services.credit_appeal_file(event=event, user=director_p, grounds="再次申诉", day=DAY)

    def test_only_the_director_appeals_and_only_the_bureau_decides(
        self, failing, director_a, wangjing_official, bureau_official, director_p
    ):
        event = failing.events.first()
        for user in (director_a, wangjing_official, bureau_official):
            with pytest.raises(PermissionDenied):
                services.credit_appeal_file(event=event, user=user, grounds="x")
        appeal = services.credit_appeal_file(event=event, user=director_p, grounds="x")
        for user in (director_p, wangjing_official):
            with pytest.raises(PermissionDenied):
                services.credit_appeal_decide(appeal=appeal, user=user, upheld=True, note="x")


class TestExit:
    def test_a_d_level_kindergarten_exits_with_its_children_placed(self, failing, kg_a, kg_b, bureau_official):
        exit_ = services.credit_exit(
            record=failing,
            user=bureau_official,
            kind=ExitKind.CLOSURE,
            effective_on=DAY + datetime.timedelta(days=30),
            reason="严重失信",
            children_to_place=50,
            transfers=[(kg_a, 30), (kg_b, 20)],
            day=DAY,
        )
        assert exit_.transfers.count() == 2
        kg = Kindergarten.objects.get(pk=failing.kindergarten_id)
        assert kg.licence_status == LicenceStatus.CLOSED
        assert kg.history.first().history_change_reason.startswith("信用档案")

    def test_the_plan_must_place_every_child_elsewhere(self, failing, kg_a, bureau_official, kg_p):
        kwargs = {"record": failing, "user": bureau_official, "kind": ExitKind.SUSPENSION, "reason": "x"}
        kwargs["effective_on"] = DAY
        with pytest.raises(ValidationError):
            services.credit_exit(**kwargs, children_to_place=50, transfers=[(kg_a, 30)])
        with pytest.raises(ValidationError):
            services.credit_exit(**kwargs, children_to_place=50, transfers=[(kg_a, 20), (kg_p, 30)])

    def test_only_a_d_level_kindergarten_exits_and_only_by_the_bureau(
        self, kg_p, kg_a, bureau_official, wangjing_official
    ):
        services.credit_refresh(day=DAY)
        kwargs = {"kind": ExitKind.SUSPENSION, "reason": "x", "effective_on": DAY, "children_to_place": 1}
        with pytest.raises(ValidationError):
            services.credit_exit(record=record_of(kg_p), user=bureau_official, transfers=[(kg_a, 1)], **kwargs)
        with pytest.raises(PermissionDenied):
            services.credit_exit(record=record_of(kg_p), user=wangjing_official, transfers=[(kg_a, 1)], **kwargs)


def test_a_commendation_raises_the_score(kg_p, bureau_official, director_p):
    order(kg_p)
    services.credit_refresh(day=DAY)
    services.credit_commend(record=record_of(kg_p), user=bureau_official, detail="市级示范", day=DAY)
    assert record_of(kg_p).score == 100
    with pytest.raises(PermissionDenied):
        services.credit_commend(record=record_of(kg_p), user=director_p, detail="x", day=DAY)
