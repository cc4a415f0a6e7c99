"""The hazard loop through its services: who takes each step, in which state, with what evidence."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safety import services
from safety.choices import HazardAction, HazardStatus, PhotoStage, Severity
from safety.models import Hazard, SafetyRuleSet

from .conftest import open_hazard, photo

pytestmark = pytest.mark.django_db


def test_the_deadline_follows_the_severity_rules_in_force(inspector, kg_b):
    found = datetime.date(2025, 11, 1)
    general = open_hazard(kg_b, inspector, found_on=found)
    major = open_hazard(kg_b, inspector, found_on=found, severity=Severity.MAJOR)
    assert general.deadline == datetime.date(2025, 12, 1)
    assert major.deadline == datetime.date(2025, 11, 8)
    assert [e.action for e in general.events.all()] == [HazardAction.OPENED]
    assert general.events.get().by == inspector


def test_a_new_rule_set_version_changes_the_deadlines_from_its_date(bureau_official, kg_a):
    SafetyRuleSet.objects.update(valid_to=datetime.date(2025, 12, 31))
    newer = SafetyRuleSet.objects.get()
    newer.pk = None
    newer.valid_from, newer.valid_to, newer.major_deadline_days = datetime.date(2026, 1, 1), None, 3
    newer.full_clean()
    newer.save()
    assert open_hazard(
        kg_a, bureau_official, found_on=datetime.date(2025, 12, 31), severity=Severity.MAJOR
    ).deadline == (datetime.date(2026, 1, 7))
    assert open_hazard(kg_a, bureau_official, found_on=datetime.date(2026, 1, 1), severity=Severity.MAJOR).deadline == (
        datetime.date(2026, 1, 4)
    )


def test_rule_set_versions_may_not_overlap():
    first = SafetyRuleSet.objects.get()
    twin = SafetyRuleSet.objects.get()
    twin.pk, twin.valid_from = None, datetime.date(2025, 1, 1)
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "valid_from" in error.value.message_dict
    assert first.valid_to is None


def test_only_an_assigned_inspector_or_the_bureau_opens_a_hazard(inspector, director_a, wangjing_official, kg_a, kg_b):
    open_hazard(kg_b, inspector)
    for user, kindergarten in ((inspector, kg_a), (director_a, kg_a), (wangjing_official, kg_a)):
        with pytest.raises(PermissionDenied):
            open_hazard(kindergarten, user)


def test_the_whole_loop_with_a_send_back(inspector, director_b, kg_b):
    hazard = open_hazard(kg_b, inspector)
    services.hazard_start(hazard=hazard, user=director_b, note="已采购新灭火器")
    with pytest.raises(ValidationError):
        services.hazard_submit(hazard=hazard, user=director_b, note="已更换", photos=[])
    services.hazard_submit(hazard=hazard, user=director_b, note="已更换", photos=[photo()])
    services.hazard_send_back(hazard=hazard, user=inspector, note="照片看不清")
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.RECTIFYING
    services.hazard_submit(hazard=hazard, user=director_b, note="重新拍照", photos=[photo("b.png")])
    closed = services.hazard_close(hazard=hazard, user=inspector, day=datetime.date(2025, 11, 20))
    assert closed.status == HazardStatus.CLOSED and closed.closed_on == datetime.date(2025, 11, 20)
    assert [e.action for e in closed.events.all()] == [
        HazardAction.OPENED,
        HazardAction.STARTED,
        HazardAction.SUBMITTED,
        HazardAction.SENT_BACK,
        HazardAction.SUBMITTED,
        HazardAction.CLOSED,
    ]
    assert [p.stage for p in closed.photos.all()] == [PhotoStage.AFTER, PhotoStage.AFTER]
    assert closed.history.count() >= 5


def test_a_director_reports_only_on_their_own_kindergarten(inspector, director_a, director_b, kg_b):
    hazard = open_hazard(kg_b, inspector)
    with pytest.raises(PermissionDenied):
        services.hazard_start(hazard=hazard, user=director_a)
    with pytest.raises(PermissionDenied):
        services.hazard_submit(hazard=hazard, user=inspector, note="x", photos=[photo()])


def test_a_director_does_not_verify_their_own_rectification(inspector, director_b, kg_b):
    hazard = open_hazard(kg_b, inspector)
    services.hazard_submit(hazard=hazard, user=director_b, note="已整改", photos=[photo()])
    with pytest.raises(PermissionDenied):
        services.hazard_close(hazard=hazard, user=director_b)


def test_steps_out_of_order_are_refused(inspector, director_b, kg_b):
    hazard = open_hazard(kg_b, inspector)
    with pytest.raises(ValidationError):
        services.hazard_close(hazard=hazard, user=inspector)
    with pytest.raises(ValidationError):
        services.hazard_send_back(hazard=hazard, user=inspector, note="?")


def test_a_program_renamed_to_png_is_not_evidence(inspector, director_b, kg_b):
    from tests.inspections.factories import EXE_BYTES, upload

    hazard = open_hazard(kg_b, inspector)
    with pytest.raises(ValidationError):
        services.hazard_submit(hazard=hazard, user=director_b, note="x", photos=[upload("a.png", EXE_BYTES)])
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.OPEN


def test_overdue_means_open_and_past_the_deadline(bureau_official, kg_a):
    hazard = open_hazard(kg_a, bureau_official, found_on=datetime.date(2025, 10, 1))  # deadline 10-31
    assert not Hazard.objects.overdue(datetime.date(2025, 10, 31)).exists()
    assert list(Hazard.objects.overdue(datetime.date(2025, 11, 1))) == [hazard]
