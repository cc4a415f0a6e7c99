"""The core records: ID numbers kept as hash + ciphertext + last four, and who sees which rows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from staff import identity
from staff.models import Certificate, Person, StaffingStandard, StaffMember

from .factories import CertificateFactory, PersonFactory, StaffMemberFactory, id_number


def test_it_accepts_a_number_with_its_check_digit_and_folds_case_and_spaces():
    number = id_number(7)
    assert identity.validate(f" {number[:6]} {number[6:-1]}{number[-1].lower()} ") == number


@pytest.mark.parametrize("raw", ["11010519900101007", "1101051990010100799", "11010519900101007A"])
def test_it_refuses_a_malformed_number(raw):
    with pytest.raises(ValidationError):
        identity.validate(raw)


def test_it_refuses_a_wrong_check_digit():
    number = id_number(7)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ValidationError):
        identity.validate(wrong)


@pytest.mark.django_db
def test_it_never_stores_the_number_itself():
    number = id_number(42)
    person = PersonFactory(number=number)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM staff_person WHERE id = %s", [person.pk])
        row = cursor.fetchone()
    assert not any(number in str(value) for value in row)
    assert person.id_hash == identity.id_hash(number)
    assert identity.decrypt(person.id_encrypted) == number
    assert person.masked_id == "*" * 14 + number[-4:]


def test_the_hash_depends_on_the_key(settings):
    number = id_number(42)
    first = identity.id_hash(number)
    settings.ID_NUMBER_KEY = "another-key"
    assert identity.id_hash(number) != first


@pytest.mark.django_db
def test_it_seeds_the_staffing_standard_of_domain_md():
    standard = StaffingStandard.objects.for_day(datetime.date(2025, 10, 1))
    assert (standard.full_day_staff_ratio_low, standard.full_day_staff_ratio_high) == (5, 7)
    assert (standard.half_day_carer_ratio_low, standard.half_day_carer_ratio_high) == (11, 13)
    assert [standard.max_principals(n) for n in (5, 6, 9, 10)] == [1, 2, 2, 3]
    assert standard.required_health_staff(150) == 1
    assert standard.required_health_staff(151) == 2
    assert standard.children_per_fulltime_teacher == 15


@pytest.mark.django_db
def test_it_refuses_a_second_current_post_at_the_same_kindergarten(kg_a):
    post = StaffMemberFactory(kindergarten=kg_a)
    with pytest.raises(ValidationError):
        StaffMember(
            person=post.person,
            kindergarten=kg_a,
            role="caregiver",
            establishment="contract",
            hired_on=datetime.date(2021, 1, 1),
        ).full_clean()


@pytest.fixture
def staff_abc(kg_a, kg_b, kg_c):
    """One current post at each of A, B, C; the person at C once worked at A (left)."""
    a, b, c = (StaffMemberFactory(kindergarten=kg) for kg in (kg_a, kg_b, kg_c))
    StaffMemberFactory(
        person=c.person, kindergarten=kg_a, hired_on=datetime.date(2015, 9, 1), left_on=datetime.date(2019, 8, 31)
    )
    for post in (a, b, c):
        CertificateFactory(person=post.person)
    return {"A": a, "B": b, "C": c}


def names(queryset):
    return {str(row.person if hasattr(row, "person") else row) for row in queryset}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "view", "change"),
    [
        ("bureau_official", "ABC", "ABC"),
        ("wangjing_official", "ABC", ""),  # C once worked at A in 望京
        ("director_a", "AC", "A"),
        ("director_b", "B", "B"),
        ("inspector", "BC", ""),
    ],
)
def test_people_and_their_certificates_are_seen_through_their_posts(request, staff_abc, persona, view, change):
    user = request.getfixturevalue(persona)
    expected = {key: str(staff_abc[key].person) for key in "ABC"}
    assert names(Person.objects.restrict(user, "view")) == {expected[k] for k in view}
    assert names(Person.objects.restrict(user, "change")) == {expected[k] for k in change}
    assert names(Certificate.objects.restrict(user, "view")) == {expected[k] for k in view}
    assert names(Certificate.objects.restrict(user, "change")) == {expected[k] for k in change}


@pytest.mark.django_db
def test_a_director_sees_the_posts_of_their_own_kindergarten_only(staff_abc, director_a):
    posts = StaffMember.objects.restrict(director_a)
    assert {post.kindergarten.code for post in posts} == {"KGA0001"}
    assert posts.count() == 2  # A's current post and C's former one at A


def test_the_web_server_refuses_to_start_without_an_id_number_key_when_debug_is_off():
    from tests.test_settings import production_env, run

    refused = run(["-c", "import chaoyang_preschool.wsgi"], **production_env())
    assert refused.returncode != 0
    assert "ID_NUMBER_KEY must be set when DEBUG is off." in refused.stderr
    started = run(["-c", "import chaoyang_preschool.wsgi"], **production_env(ID_NUMBER_KEY="a-key-of-its-own"))
    assert started.returncode == 0, started.stderr
