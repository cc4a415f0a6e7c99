"""Every rule of domain.md §3 on small hand-computed cases, at its edges (no database needed
for the evaluation itself: `evaluate` is pure; the rule set is built, not saved)."""

import datetime

import pytest

from safety.choices import RuleCode
from safety.compliance import evaluate, quarter_start
from safety.models import SafetyProfile, SafetyRuleSet

DAY = datetime.date(2025, 11, 15)  # quarter from 2025-10-01


def beijing(**changes) -> SafetyRuleSet:
    """The seeded rule set's numbers (safety/migrations/0002_seed_rule_set.py)."""
    values = dict(
        name="北京",
        source="domain.md §3",
        valid_from=datetime.date(2018, 1, 1),
        guard_bands=[[1000, 3]],
        guards_step_people=500,
        guards_step=1,
        min_safety_managers=1,
        video_retention_days=30,
        intrusion_log_days=30,
        access_log_days=180,
        drills_per_quarter=1,
        min_carers=2,
        general_deadline_days=30,
        major_deadline_days=7,
    )
    values.update(changes)
    return SafetyRuleSet(**values)


def compliant(**changes) -> SafetyProfile:
    values = dict(
        staff_count=20,
        full_time_safety_managers=1,
        guards_full_time=3,
        carers_per_class=2,
        alarm_installed=True,
        alarm_linked=True,
        cameras=40,
        video_linked=True,
        video_retention_days=30,
        intrusion_alarm_installed=True,
        intrusion_log_days=30,
        access_control_installed=True,
        access_log_days=180,
        closed_campus=True,
    )
    values.update(changes)
    return SafetyProfile(**values)


def results(profile=None, *, rules=None, children=0, drills=(DAY,), day=DAY) -> dict[str, object]:
    found = evaluate(profile, rules=rules or beijing(), children=children, drill_dates=drills, day=day)
    return {r.code: r for r in found}


def test_a_compliant_profile_meets_every_rule():
    assert all(r.met for r in results(compliant(), children=300).values())
    assert set(results(compliant())) == set(RuleCode.values)


def test_no_profile_meets_no_rule():
    assert not any(r.met for r in results(None, drills=()).values())


@pytest.mark.parametrize(
    ("people", "required"),
    [(99, 3), (100, 3), (101, 3), (1000, 3), (1001, 4), (1500, 4), (1501, 5), (2000, 5), (2001, 6)],
)
def test_guards_required_for_the_people_on_campus(people, required):
    assert beijing().required_guards(people) == required
    staff = 20
    enough = results(compliant(staff_count=staff, guards_full_time=required), children=people - staff)
    short = results(compliant(staff_count=staff, guards_full_time=required - 1), children=people - staff)
    assert enough[RuleCode.GUARDS].met and not short[RuleCode.GUARDS].met


def test_the_national_minimum_bands_at_their_edges():
    """A rule set with the national bands (≥ 1 below 100, ≥ 2 for 100–1,000) is data too."""
    national = beijing(guard_bands=[[99, 1], [1000, 2]])
    assert [national.required_guards(n) for n in (99, 100, 101, 1000, 1001, 1500, 1501)] == [1, 2, 2, 2, 3, 3, 4]


def test_the_guard_reason_says_what_is_required_and_recorded():
    reason = results(compliant(staff_count=40, guards_full_time=2), children=380)[RuleCode.GUARDS].reason
    assert "420 人" in reason and "3 名" in reason and "登记 2 名" in reason


def test_a_full_time_safety_manager_is_required():
    assert results(compliant(full_time_safety_managers=1))[RuleCode.SAFETY_MANAGER].met
    assert not results(compliant(full_time_safety_managers=0))[RuleCode.SAFETY_MANAGER].met


def test_the_alarm_must_be_installed_and_linked():
    assert not results(compliant(alarm_linked=False))[RuleCode.ALARM].met
    assert not results(compliant(alarm_installed=False, alarm_linked=False))[RuleCode.ALARM].met


def test_video_must_be_linked_to_the_police():
    assert not results(compliant(video_linked=False))[RuleCode.VIDEO_LINKED].met
    assert not results(compliant(cameras=0))[RuleCode.VIDEO_LINKED].met


@pytest.mark.parametrize(
    ("field", "code", "edge"),
    [
        ("video_retention_days", RuleCode.VIDEO_RETENTION, 30),
        ("intrusion_log_days", RuleCode.INTRUSION_LOGS, 30),
        ("access_log_days", RuleCode.ACCESS_LOGS, 180),
    ],
)
def test_retention_at_its_edge(field, code, edge):
    assert results(compliant(**{field: edge}))[code].met
    below = results(compliant(**{field: edge - 1}))[code]
    assert not below.met and f"{edge} 天" in below.reason and f"{edge - 1} 天" in below.reason


def test_logs_of_a_system_not_installed_do_not_count():
    assert not results(compliant(access_control_installed=False))[RuleCode.ACCESS_LOGS].met
    assert not results(compliant(intrusion_alarm_installed=False))[RuleCode.INTRUSION_LOGS].met


def test_closed_campus():
    assert not results(compliant(closed_campus=False))[RuleCode.CLOSED_CAMPUS].met


def test_a_drill_this_quarter_or_not():
    assert quarter_start(DAY) == datetime.date(2025, 10, 1)
    assert results(compliant(), drills=[datetime.date(2025, 10, 1)])[RuleCode.DRILLS].met
    assert not results(compliant(), drills=[datetime.date(2025, 9, 30)])[RuleCode.DRILLS].met
    assert not results(compliant(), drills=[])[RuleCode.DRILLS].met
    # A drill after the date does not count for it (a recomputed past date).
    assert not results(compliant(), drills=[datetime.date(2025, 11, 16)])[RuleCode.DRILLS].met


def test_two_drills_a_quarter_when_the_rule_set_says_so():
    rules = beijing(drills_per_quarter=2)
    assert not results(compliant(), rules=rules, drills=[DAY])[RuleCode.DRILLS].met
    assert results(compliant(), rules=rules, drills=[DAY, datetime.date(2025, 10, 8)])[RuleCode.DRILLS].met


def test_two_carers_with_the_children():
    assert results(compliant(carers_per_class=2))[RuleCode.CARERS].met
    assert not results(compliant(carers_per_class=1))[RuleCode.CARERS].met


def test_hazard_deadlines_follow_the_severity():
    rules = beijing()
    found = datetime.date(2025, 11, 1)
    assert rules.deadline_for("general", found) == datetime.date(2025, 12, 1)
    assert rules.deadline_for("major", found) == datetime.date(2025, 11, 8)
