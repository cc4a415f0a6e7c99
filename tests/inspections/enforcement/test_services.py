"""The enforcement services: who may act, the transitions they allow, and that a refused input
changes nothing (and keeps no history row)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections.choices import (
    CaseStatus,
    ConductCaseKind,
    OrderStatus,
    PenaltyKind,
    UnlicensedCaseStatus,
)
from inspections.models import ConductCase, FollowUpVisit, RectificationOrder, UnlicensedCase
from inspections.services import enforcement

from ..factories import conduct_case, days, order, unlicensed_case

pytestmark = pytest.mark.django_db


def snapshot(instance) -> tuple:
    """Every stored value of the row and how many history rows it has."""
    fresh = type(instance)._base_manager.get(pk=instance.pk)
    values = tuple(getattr(fresh, f.attname) for f in fresh._meta.concrete_fields)
    return values, fresh.history.count()


def field_errors(error: ValidationError) -> set[str]:
    return set(error.message_dict)


# --- rectification orders ---------------------------------------------------------------------------


class TestOrders:
    def test_it_issues_an_order_and_keeps_its_history(self, kg_a, bureau_official):
        issued = order(kg_a, bureau_official)
        assert (issued.status, issued.issued_by, issued.rectified_on) == (OrderStatus.OPEN, bureau_official, None)
        assert issued.history.get().history_user == bureau_official

    def test_it_lets_an_inspector_issue_only_to_assigned_kindergartens(self, kg_a, kg_b, inspector):
        assert order(kg_b, inspector).kindergarten == kg_b
        with pytest.raises(ValidationError) as refused:
            order(kg_a, inspector)
        assert field_errors(refused.value) == {"kindergarten"}
        assert not RectificationOrder.objects.filter(kindergarten=kg_a).exists()

    @pytest.mark.parametrize("persona", ["wangjing_official", "director_a"])
    def test_it_refuses_officials_and_directors(self, kg_a, personas, persona):
        with pytest.raises(PermissionDenied):
            order(kg_a, personas[persona])
        assert not RectificationOrder.objects.exists()

    def test_it_refuses_a_deadline_before_the_issue_date_or_an_issue_date_in_the_future(self, kg_a, bureau_official):
        with pytest.raises(ValidationError) as refused:
            order(kg_a, bureau_official, issued=-5, deadline=-10)
        assert field_errors(refused.value) == {"deadline"}
        with pytest.raises(ValidationError) as refused:
            order(kg_a, bureau_official, issued=3, deadline=30)
        assert field_errors(refused.value) == {"issued_on"}
        assert not RectificationOrder.objects.exists()

    def test_a_follow_up_that_finds_it_rectified_closes_the_order_that_day(self, kg_b, inspector):
        issued = order(kg_b, inspector)
        enforcement.order_follow_up(order=issued, user=inspector, visited_on=days(-20), note="尚未整改")
        issued.refresh_from_db()
        assert issued.status == OrderStatus.OPEN
        enforcement.order_follow_up(order=issued, user=inspector, visited_on=days(-3), note="已整改", rectified=True)
        issued.refresh_from_db()
        assert (issued.status, issued.rectified_on) == (OrderStatus.RECTIFIED, days(-3))
        assert list(FollowUpVisit.objects.filter(order=issued).values_list("rectified", flat=True)) == [False, True]
        assert [h.status for h in issued.history.order_by("history_date")] == ["open", "rectified"]

    def test_it_records_rectification_without_a_visit(self, kg_a, bureau_official):
        issued = order(kg_a, bureau_official)
        enforcement.order_rectify(order=issued, user=bureau_official, rectified_on=days(-1))
        issued.refresh_from_db()
        assert (issued.status, issued.rectified_on) == (OrderStatus.RECTIFIED, days(-1))

    def test_it_penalises_only_after_the_deadline(self, kg_a, bureau_official):
        overdue = order(kg_a, bureau_official, issued=-60, deadline=-10)
        assert overdue.is_overdue
        assert RectificationOrder.objects.overdue().get() == overdue
        penalised = enforcement.order_penalise(
            order=overdue,
            user=bureau_official,
            penalty_kind=PenaltyKind.FINE,
            penalty_note="罚款",
            penalised_on=days(-2),
        )
        assert (penalised.status, penalised.penalised_on) == (OrderStatus.PENALISED, days(-2))
        assert not RectificationOrder.objects.overdue().exists()

    def test_it_refuses_a_penalty_on_or_before_the_deadline_and_changes_nothing(self, kg_a, bureau_official):
        in_time = order(kg_a, bureau_official, issued=-20, deadline=-5)
        before = snapshot(in_time)
        with pytest.raises(ValidationError) as refused:
            enforcement.order_penalise(
                order=in_time,
                user=bureau_official,
                penalty_kind=PenaltyKind.WARNING,
                penalty_note="警告",
                penalised_on=days(-5),
            )
        assert field_errors(refused.value) == {"penalised_on"}
        assert snapshot(in_time) == before

    def test_it_refuses_missing_or_future_input_field_by_field(self, kg_a, bureau_official):
        issued = order(kg_a, bureau_official, issued=-60, deadline=-10)
        before = snapshot(issued)
        with pytest.raises(ValidationError) as refused:
            enforcement.order_penalise(
                order=issued, user=bureau_official, penalty_kind="", penalty_note=" ", penalised_on=days(2)
            )
        assert field_errors(refused.value) == {"penalty_kind", "penalty_note", "penalised_on"}
        with pytest.raises(ValidationError) as refused:
            enforcement.order_follow_up(order=issued, user=bureau_official, visited_on=days(-70), note="太早")
        assert field_errors(refused.value) == {"visited_on"}
        assert snapshot(issued) == before
        assert not FollowUpVisit.objects.exists()

    @pytest.mark.parametrize("final", ["rectified", "penalised"])
    def test_a_closed_order_is_final(self, kg_a, bureau_official, final):
        issued = order(kg_a, bureau_official, issued=-60, deadline=-10)
        if final == "rectified":
            enforcement.order_rectify(order=issued, user=bureau_official, rectified_on=days(-1))
        else:
            enforcement.order_penalise(
                order=issued,
                user=bureau_official,
                penalty_kind=PenaltyKind.WARNING,
                penalty_note="警告",
                penalised_on=days(-1),
            )
        before = snapshot(issued)
        attempts = [
            lambda: enforcement.order_follow_up(order=issued, user=bureau_official, visited_on=days(0), note="x"),
            lambda: enforcement.order_rectify(order=issued, user=bureau_official, rectified_on=days(0)),
            lambda: enforcement.order_update(
                order=issued, user=bureau_official, reason=issued.reason, description="改", deadline=days(30)
            ),
        ]
        for attempt in attempts:
            with pytest.raises(ValidationError):
                attempt()
        assert snapshot(issued) == before

    def test_an_update_extends_the_deadline_and_keeps_the_old_one_in_history(self, kg_a, bureau_official):
        issued = order(kg_a, bureau_official, deadline=10)
        enforcement.order_update(
            order=issued, user=bureau_official, reason=issued.reason, description="补充说明", deadline=days(40)
        )
        deadlines = [h.deadline for h in issued.history.order_by("history_date")]
        assert deadlines == [days(10), days(40)]

    def test_an_inspector_cannot_act_on_an_order_of_a_kindergarten_not_assigned(self, kg_a, bureau_official, inspector):
        issued = order(kg_a, bureau_official)
        before = snapshot(issued)
        with pytest.raises(ValidationError):
            enforcement.order_rectify(order=issued, user=inspector, rectified_on=days(0))
        assert snapshot(issued) == before


# --- unlicensed kindergartens --------------------------------------------------------------------


class TestUnlicensedCases:
    def test_it_moves_a_case_from_discovery_to_closure(self, wangjing, bureau_official):
        case = unlicensed_case(bureau_official, wangjing, discovered=-30)
        assert case.status == UnlicensedCaseStatus.DISCOVERED
        enforcement.unlicensed_case_transition(
            case=case, user=bureau_official, status=UnlicensedCaseStatus.ORDERED_TO_CLOSE, on=days(-20), note="下达"
        )
        enforcement.unlicensed_case_transition(
            case=case, user=bureau_official, status=UnlicensedCaseStatus.CLOSED, on=days(-2), note="已关停"
        )
        case.refresh_from_db()
        assert (case.status, case.ordered_on, case.resolved_on) == ("closed", days(-20), days(-2))
        assert "已关停" in case.note and "下达" in case.note
        assert [h.status for h in case.history.order_by("history_date")] == [
            "discovered",
            "ordered_to_close",
            "closed",
        ]

    def test_a_conversion_that_fails_ends_in_closure(self, wangjing, bureau_official):
        case = unlicensed_case(bureau_official, wangjing)
        for status in (UnlicensedCaseStatus.ORDERED_TO_CONVERT, UnlicensedCaseStatus.CLOSED):
            enforcement.unlicensed_case_transition(case=case, user=bureau_official, status=status, on=days(-1))
        case.refresh_from_db()
        assert case.status == UnlicensedCaseStatus.CLOSED

    @pytest.mark.parametrize(
        ("path", "refused"),
        [
            ([], UnlicensedCaseStatus.CONVERTED),  # converting needs an order to convert first
            ([UnlicensedCaseStatus.ORDERED_TO_CLOSE], UnlicensedCaseStatus.CONVERTED),
            ([UnlicensedCaseStatus.CLOSED], UnlicensedCaseStatus.ORDERED_TO_CLOSE),  # closed is final
            ([UnlicensedCaseStatus.ORDERED_TO_CONVERT, UnlicensedCaseStatus.CONVERTED], UnlicensedCaseStatus.CLOSED),
            ([], UnlicensedCaseStatus.DISCOVERED),
        ],
    )
    def test_it_refuses_other_moves_and_changes_nothing(self, wangjing, bureau_official, path, refused):
        case = unlicensed_case(bureau_official, wangjing)
        for status in path:
            enforcement.unlicensed_case_transition(case=case, user=bureau_official, status=status, on=days(-1))
        before = snapshot(case)
        with pytest.raises(ValidationError) as error:
            enforcement.unlicensed_case_transition(case=case, user=bureau_official, status=refused, on=days(-1))
        assert field_errors(error.value) == {"status"}
        assert snapshot(case) == before

    def test_it_refuses_dates_before_discovery_or_in_the_future_under_the_date_field(self, wangjing, bureau_official):
        case = unlicensed_case(bureau_official, wangjing, discovered=-10)
        before = snapshot(case)
        for on in (days(-11), days(1)):
            with pytest.raises(ValidationError) as error:
                enforcement.unlicensed_case_transition(
                    case=case, user=bureau_official, status=UnlicensedCaseStatus.ORDERED_TO_CLOSE, on=on
                )
            assert field_errors(error.value) == {"on"}
        assert snapshot(case) == before

    def test_it_refuses_a_registry_kindergarten_of_another_subdistrict(self, wangjing, kg_c, bureau_official):
        with pytest.raises(ValidationError) as error:
            unlicensed_case(bureau_official, wangjing, kindergarten=kg_c)
        assert field_errors(error.value) == {"kindergarten"}
        assert not UnlicensedCase.objects.exists()

    def test_an_inspector_registers_cases_only_about_assigned_kindergartens(self, wangjing, kg_a, kg_b, inspector):
        assert unlicensed_case(inspector, wangjing, kindergarten=kg_b).created_by == inspector
        for kindergarten in (None, kg_a):
            with pytest.raises(ValidationError) as error:
                unlicensed_case(inspector, wangjing, kindergarten=kindergarten)
            assert field_errors(error.value) == {"kindergarten"}
        assert UnlicensedCase.objects.count() == 1

    def test_a_resolved_case_cannot_be_edited(self, wangjing, bureau_official):
        case = unlicensed_case(bureau_official, wangjing)
        enforcement.unlicensed_case_transition(
            case=case, user=bureau_official, status=UnlicensedCaseStatus.CLOSED, on=days(0)
        )
        with pytest.raises(ValidationError):
            enforcement.unlicensed_case_update(
                case=case, user=bureau_official, subdistrict=wangjing, name="改名", discovered_on=days(-30)
            )
        assert UnlicensedCase.objects.get().name == "无证看护点"


# --- conduct cases -----------------------------------------------------------------------------------


class TestConductCases:
    def test_it_registers_records_progress_and_closes_a_case(self, wangjing, kg_a, bureau_official):
        case = conduct_case(bureau_official, wangjing, kind=ConductCaseKind.CORPORAL_PUNISHMENT, kindergarten=kg_a)
        enforcement.conduct_case_update(
            case=case,
            user=bureau_official,
            kind=case.kind,
            subdistrict=wangjing,
            kindergarten=kg_a,
            reported_on=case.reported_on,
            description=case.description,
            outcome="已约谈园长",
        )
        enforcement.conduct_case_close(case=case, user=bureau_official, outcome="涉事教师停职", closed_on=days(0))
        case.refresh_from_db()
        assert (case.status, case.outcome, case.closed_on) == (CaseStatus.CLOSED, "涉事教师停职", days(0))
        assert case.history.count() == 3
        with pytest.raises(ValidationError):
            enforcement.conduct_case_close(case=case, user=bureau_official, outcome="再次", closed_on=days(0))

    def test_it_asks_for_what_each_kind_needs(self, wangjing, bureau_official):
        with pytest.raises(ValidationError) as error:
            conduct_case(bureau_official, wangjing, kind=ConductCaseKind.ETHICS)
        assert field_errors(error.value) == {"kindergarten"}
        with pytest.raises(ValidationError) as error:
            enforcement.conduct_case_create(
                user=bureau_official,
                kind=ConductCaseKind.TRAINING_INSTITUTION,
                subdistrict=wangjing,
                reported_on=days(1),
                description="",
            )
        assert field_errors(error.value) == {"reported_on", "description"}
        assert not ConductCase.objects.exists()

    def test_closing_needs_an_outcome_and_a_date_not_before_the_report(self, wangjing, bureau_official):
        case = conduct_case(bureau_official, wangjing)
        before = snapshot(case)
        with pytest.raises(ValidationError) as error:
            enforcement.conduct_case_close(case=case, user=bureau_official, outcome="", closed_on=days(-30))
        assert field_errors(error.value) == {"outcome"}
        with pytest.raises(ValidationError) as error:
            enforcement.conduct_case_close(case=case, user=bureau_official, outcome="结案", closed_on=days(-30))
        assert field_errors(error.value) == {"closed_on"}
        assert snapshot(case) == before

    def test_a_subdistrict_official_only_reads(self, wangjing, wangjing_official):
        with pytest.raises(PermissionDenied):
            conduct_case(wangjing_official, wangjing)
