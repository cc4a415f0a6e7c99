"""Ethics: a serious violation flags the person wherever they go; warnings do not. Records are
kept by those who enforce, self-checks by the kindergarten, and both are scoped."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template

from inspections.choices import ConductCaseKind
from staff.choices import EthicsKind, EthicsSeverity
from staff.models import EthicsSelfCheck, ethics_flags_for
from staff.services import ethics_record_save, self_check_save
from tests.conftest import client_for
from tests.helpers import assert_api_scope
from tests.inspections.factories import conduct_case

from .factories import StaffMemberFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 5, 6)


def record(kg, person, user, *, kind=EthicsKind.VIOLATION, severity=EthicsSeverity.SERIOUS, **extra):
    return ethics_record_save(
        kindergarten=kg,
        person=person,
        kind=kind,
        severity=severity,
        occurred_on=DAY,
        description="体罚幼儿",
        user=user,
        **extra,
    )


def test_a_serious_violation_flags_the_person_at_any_kindergarten(kg_a, kg_c, bureau_official, director_c_client):
    post = StaffMemberFactory(kindergarten=kg_a, person__name="张某")
    record(kg_a, post.person, bureau_official, outcome="解除聘用", decided_on=DAY)
    record(kg_a, post.person, bureau_official, kind=EthicsKind.WARNING, severity=EthicsSeverity.GENERAL)
    assert [r.kind for r in ethics_flags_for(post.person)] == [EthicsKind.VIOLATION]
    # Kindergarten C (another sub-district) takes them on: C's director sees the flag, not A's records.
    StaffMemberFactory(kindergarten=kg_c, person=post.person)
    html = Template("{% load staff_ethics %}{% ethics_flags person %}").render(Context({"person": post.person}))
    assert "严重违反师德行为" in html and "解除聘用" in html
    assert director_c_client.get("/api/ethics-records/").json()["count"] == 0


def test_a_general_violation_or_a_warning_is_no_flag(kg_a, bureau_official):
    post = StaffMemberFactory(kindergarten=kg_a)
    record(kg_a, post.person, bureau_official, severity=EthicsSeverity.GENERAL)
    assert ethics_flags_for(post.person) == []
    assert Template("{% load staff_ethics %}{% ethics_flags p %}").render(Context({"p": post.person})).strip() == ""


def test_a_warning_cannot_be_serious(kg_a, bureau_official):
    post = StaffMemberFactory(kindergarten=kg_a)
    with pytest.raises(ValidationError) as error:
        record(kg_a, post.person, bureau_official, kind=EthicsKind.WARNING)
    assert "severity" in error.value.message_dict


def test_who_records_and_the_conduct_case_must_be_the_kindergartens(kg_a, kg_b, inspector, bureau_official, wangjing):
    a, b = StaffMemberFactory(kindergarten=kg_a), StaffMemberFactory(kindergarten=kg_b)
    with pytest.raises(PermissionDenied):
        record(kg_a, a.person, inspector)  # A is not assigned to the inspector
    assert record(kg_b, b.person, inspector).recorded_by == inspector
    with pytest.raises(ValidationError):
        record(kg_b, a.person, bureau_official)  # never worked at B
    case = conduct_case(bureau_official, wangjing, kind=ConductCaseKind.ETHICS, kindergarten=kg_a)
    with pytest.raises(ValidationError) as error:
        record(kg_b, b.person, bureau_official, conduct_case=case)
    assert "conduct_case" in error.value.message_dict
    assert record(kg_a, a.person, bureau_official, conduct_case=case).conduct_case == case


def test_the_director_files_the_self_check_once_a_year(kg_a, kg_b, director_a):
    for staff in (20, 22):
        self_check_save(kindergarten=kg_a, year=2025, completed_on=DAY, staff_checked=staff, user=director_a)
    assert EthicsSelfCheck.objects.get().staff_checked == 22
    with pytest.raises(PermissionDenied):
        self_check_save(kindergarten=kg_b, year=2025, completed_on=DAY, staff_checked=1, user=director_a)


def test_the_records_are_scoped(api_client, client, personas, kg_a, kg_b, kg_c, bureau_official):
    records = {
        n: record(kg, StaffMemberFactory(kindergarten=kg).person, bureau_official)
        for n, kg in zip("ABC", (kg_a, kg_b, kg_c), strict=True)
    }
    url = "/api/ethics-records/"
    assert_api_scope(api_client, personas["director_a"], url, [records["A"].pk], hidden_ids=[records["C"].pk])
    assert_api_scope(api_client, personas["inspector"], url, [records["B"].pk, records["C"].pk])
    page = client_for(client, personas["director_b"]).get("/staff/ethics/")
    assert page.status_code == 200
    assert client.get(f"/staff/ethics/kindergartens/{kg_a.pk}/self-check/").status_code == 404
    assert client.get("/staff/ethics/new/").status_code == 403


@pytest.fixture
def director_c_client(api_client, kg_c):
    from accounts.choices import Role
    from tests.factories import UserFactory

    api_client.force_authenticate(user=UserFactory(username="director_c", role=Role.DIRECTOR, kindergarten=kg_c))
    return api_client
