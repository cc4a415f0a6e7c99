"""The registry pages: a kindergarten's staff and checks, adding a staff member (with the person
matched by ID number), a person's history, editing, and who reaches which page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staff import identity
from staff.choices import CertificateKind, StaffRole
from staff.models import Certificate, Person, StaffMember
from tests.conftest import client_for

from .conftest import add_staff, days, staff_to_standard
from .factories import CertificateFactory, PersonFactory, StaffMemberFactory, id_number

pytestmark = pytest.mark.django_db


def add_form(number: str, name: str = "李晓红", role: str = StaffRole.TEACHER, **extra) -> dict:
    data = {
        "person-name": name,
        "person-id_number": number,
        "person-gender": "female",
        "person-birth_date": "1995-03-02",
        "person-education": "bachelor",
        "person-professional_title": "second",
        "post-role": role,
        "post-establishment": "contract",
        "post-full_time": "on",
        "post-hired_on": "2024-09-01",
        "cert-TOTAL_FORMS": "2",
        "cert-INITIAL_FORMS": "0",
        "cert-0-kind": CertificateKind.TEACHER,
        "cert-0-number": "20181101234567",
        "cert-0-issued_on": "2018-07-01",
        "cert-0-expires_on": "",
        "cert-1-kind": "",
        "cert-1-number": "",
        "cert-1-issued_on": "",
        "cert-1-expires_on": "",
    }
    data.update(extra)
    return data


def checks(response) -> dict[str, bool]:
    return {r.code: r.met for r in response.context["results"]}


def test_a_director_lands_on_their_own_kindergartens_staff_page(client, director_a, kg_a):
    response = client_for(client, director_a).get(reverse("staff:index"))
    assert response.status_code == 302
    assert response.url == reverse("staff:kindergarten", args=[kg_a.pk])


def test_the_staff_page_shows_every_check_with_its_reason(client, director_a, staffed_a):
    response = client_for(client, director_a).get(reverse("staff:kindergarten", args=[staffed_a.pk]))
    assert response.status_code == 200
    assert all(checks(response).values())
    assert len(response.context["results"]) == 8
    page = response.content.decode()
    assert "教职工 9 人，幼儿 48 人" in page
    assert 'data-check="per_class"' in page


def test_a_director_adds_a_teacher_with_certificates_and_the_check_changes(client, director_a, kg_a):
    staff_to_standard(kg_a)
    StaffMember.objects.filter(kindergarten=kg_a, role=StaffRole.TEACHER).first().delete()
    client = client_for(client, director_a)
    page = reverse("staff:kindergarten", args=[kg_a.pk])
    assert checks(client.get(page))["per_class"] is False

    number = id_number(501)
    response = client.post(reverse("staff:member_add", args=[kg_a.pk]), add_form(number))
    assert response.status_code == 302, response.context and response.context["person_form"].errors
    person = Person.objects.get(name="李晓红")
    assert person.id_hash == identity.id_hash(number)
    assert person.id_last4 == number[-4:]
    assert list(person.certificates.values_list("kind", flat=True)) == [CertificateKind.TEACHER]
    assert person.history.first().history_user == director_a
    assert checks(client.get(page))["per_class"] is True


def test_a_person_who_moves_keeps_one_record_with_their_history(client, director_a, bureau_official, kg_a, kg_b):
    number = id_number(502)
    client_for(client, director_a).post(reverse("staff:member_add", args=[kg_a.pk]), add_form(number))
    person = Person.objects.get()
    post_a = person.posts.get()
    post_a.left_on = datetime.date(2025, 8, 31)
    post_a.save()

    # At the new kindergarten, the same number (typed with spaces and a lower-case x is no
    # different) finds the same person; the certificate already held is not doubled.
    response = client_for(client, bureau_official).post(
        reverse("staff:member_add", args=[kg_b.pk]), add_form(number, **{"post-hired_on": "2025-09-01"})
    )
    assert response.status_code == 302
    assert Person.objects.count() == 1
    assert set(person.posts.values_list("kindergarten__code", flat=True)) == {kg_a.code, kg_b.code}
    assert person.certificates.count() == 1

    page = client.get(reverse("staff:person_detail", args=[person.pk]))
    assert [p.kindergarten for p in page.context["posts"]] == [kg_b, kg_a]


def test_a_known_number_under_another_name_is_refused(client, director_a, kg_a):
    number = id_number(503)
    PersonFactory(number=number, name="王芳")
    response = client_for(client, director_a).post(reverse("staff:member_add", args=[kg_a.pk]), add_form(number))
    assert response.status_code == 200
    assert "该身份证号码已登记为另一姓名的人员" in response.content.decode()
    assert not StaffMember.objects.exists()


def test_a_wrong_number_is_refused_without_being_shown_back(client, director_a, kg_a):
    number = id_number(504)
    wrong = number[:17] + ("1" if number[17] != "1" else "2")
    response = client_for(client, director_a).post(reverse("staff:member_add", args=[kg_a.pk]), add_form(wrong))
    assert response.status_code == 200
    assert response.context["person_form"].errors["id_number"]
    assert wrong not in response.content.decode()
    assert not Person.objects.exists()


def test_a_bad_certificate_row_saves_nothing(client, director_a, kg_a):
    data = add_form(id_number(505), **{"cert-0-expires_on": "2010-01-01"})
    response = client_for(client, director_a).post(reverse("staff:member_add", args=[kg_a.pk]), data)
    assert response.status_code == 200
    assert not Person.objects.exists() and not Certificate.objects.exists()


def test_a_director_edits_a_person_and_their_certificates(client, director_a, kg_a):
    post = StaffMemberFactory(kindergarten=kg_a)
    certificate = CertificateFactory(
        person=post.person, kind=CertificateKind.HEALTH, expires_on=datetime.date(2026, 1, 1)
    )
    client = client_for(client, director_a)
    url = reverse("staff:person_edit", args=[post.person.pk])
    form = client.get(url).context
    assert form["certificates"].total_form_count() == 2
    data = {
        "person-name": post.person.name,
        "person-id_number": "",
        "person-gender": "female",
        "person-birth_date": "",
        "person-education": "postgraduate",
        "person-professional_title": "first",
        "cert-TOTAL_FORMS": "2",
        "cert-INITIAL_FORMS": "1",
        "cert-0-id": str(certificate.pk),
        "cert-0-kind": CertificateKind.HEALTH,
        "cert-0-number": certificate.number,
        "cert-0-issued_on": "2025-01-01",
        "cert-0-expires_on": "2027-01-01",
        "cert-1-kind": CertificateKind.TEACHER,
        "cert-1-number": "T-1",
        "cert-1-issued_on": "2019-07-01",
        "cert-1-expires_on": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["person_form"].errors,
        response.context["certificates"].errors,
    )
    post.person.refresh_from_db()
    certificate.refresh_from_db()
    assert post.person.education == "postgraduate"
    assert certificate.expires_on == datetime.date(2027, 1, 1)
    assert post.person.certificates.count() == 2
    teacher = post.person.certificates.get(kind=CertificateKind.TEACHER)
    data.update({"cert-INITIAL_FORMS": "2", "cert-0-DELETE": "on", "cert-1-id": str(teacher.pk)})
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["person_form"].errors,
        response.context["certificates"].errors,
    )
    assert list(post.person.certificates.all()) == [teacher]


def test_a_post_ends_with_its_leaving_date(client, director_a, kg_a):
    post = StaffMemberFactory(kindergarten=kg_a)
    data = {
        "role": "teacher",
        "establishment": "contract",
        "full_time": "on",
        "hired_on": "2020-09-01",
        "left_on": "2026-01-31",
    }
    assert client_for(client, director_a).post(reverse("staff:member_edit", args=[post.pk]), data).status_code == 302
    post.refresh_from_db()
    assert post.left_on == datetime.date(2026, 1, 31)


@pytest.mark.parametrize("persona", ["director_b", "wangjing_official", "inspector"])
def test_only_the_kindergartens_keepers_add_or_edit(client, request, persona, kg_a, kg_b):
    user = request.getfixturevalue(persona)
    post = StaffMemberFactory(kindergarten=kg_a)
    client = client_for(client, user)
    expected_add = 404 if persona in ("director_b", "inspector") else 403  # A is outside B's and the inspector's reach
    assert client.get(reverse("staff:member_add", args=[kg_a.pk])).status_code == expected_add
    assert client.get(reverse("staff:member_edit", args=[post.pk])).status_code == 404
    assert client.get(reverse("staff:person_edit", args=[post.person.pk])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "sees"), [("director_b", False), ("inspector", False), ("wangjing_official", True)]
)
def test_pages_outside_the_scope_do_not_exist(client, request, persona, sees, kg_a):
    user = request.getfixturevalue(persona)
    post = StaffMemberFactory(kindergarten=kg_a)
    client = client_for(client, user)
    expected = 200 if sees else 404
    assert client.get(reverse("staff:kindergarten", args=[kg_a.pk])).status_code == expected
    assert client.get(reverse("staff:person_detail", args=[post.person.pk])).status_code == expected


def test_the_lists_show_only_what_the_user_may_see(client, director_a, kg_a, kg_b):
    mine, theirs = StaffMemberFactory(kindergarten=kg_a), StaffMemberFactory(kindergarten=kg_b)
    response = client_for(client, director_a).get(reverse("staff:member_list"))
    names = {row.record.person.name for row in response.context["table"].rows}
    assert names == {mine.person.name}
    assert theirs.person.name not in response.content.decode()


def test_the_overview_finds_the_kindergartens_short_of_staff(client, bureau_official, staffed_a, kg_b, kg_c):
    add_staff(kg_b, StaffRole.TEACHER, 1)
    client = client_for(client, bureau_official)
    response = client.get(reverse("staff:index"), {"subdistrict": kg_b.subdistrict_id, "staffing": "false"})
    assert [row.record for row in response.context["table"].rows] == [kg_b]
    response = client.get(reverse("staff:index"), {"unmet": "principals"})
    assert {row.record for row in response.context["table"].rows} == {kg_b, kg_c}


def test_the_staff_list_filters_by_certificate_state(client, bureau_official, kg_a, today):
    complete, missing = add_staff(kg_a), add_staff(kg_a, certified=False)
    expiring = add_staff(kg_a, StaffRole.HEALTH)[0]
    CertificateFactory(
        person=expiring.person, kind=CertificateKind.HEALTH, issued_on=today - days(300), expires_on=today + days(30)
    )
    client = client_for(client, bureau_official)

    def listed(state):
        response = client.get(reverse("staff:member_list"), {"certificates": state})
        return {row.record.pk for row in response.context["table"].rows}

    assert listed("missing") == {missing[0].pk}
    assert listed("expiring") == {expiring.pk}
    assert listed("complete") == {complete[0].pk, expiring.pk}


def test_the_certificate_page_lists_expiring_and_expired_ones_of_current_staff(client, director_a, kg_a, today):
    post = add_staff(kg_a, StaffRole.HEALTH)[0]
    soon = CertificateFactory(
        person=post.person, kind=CertificateKind.HEALTH, issued_on=today - days(300), expires_on=today + days(90)
    )
    later = CertificateFactory(
        person=post.person, kind=CertificateKind.SECURITY, issued_on=today - days(300), expires_on=today + days(91)
    )
    gone = CertificateFactory(
        person=post.person, kind=CertificateKind.OTHER, issued_on=today - days(400), expires_on=today - days(1)
    )
    renewed = CertificateFactory(
        person=post.person, kind=CertificateKind.TEACHER, issued_on=today - days(400), expires_on=today - days(5)
    )
    CertificateFactory(person=post.person, kind=CertificateKind.TEACHER, issued_on=today - days(5))
    client = client_for(client, director_a)

    def listed(state):
        return {
            r.record for r in client.get(reverse("staff:certificate_expiry"), {"state": state}).context["table"].rows
        }

    assert listed("expiring") == {soon}
    assert listed("expired") == {gone}
    assert later not in listed("expiring") and renewed not in listed("expired")
    page = client.get(reverse("staff:kindergarten", args=[kg_a.pk]))
    assert list(page.context["expiring"]) == [soon] and list(page.context["expired"]) == [gone]


def test_the_staff_list_costs_the_same_queries_however_many_staff(client, bureau_official, kg_a, kg_b):
    client = client_for(client, bureau_official)

    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("staff:member_list")).status_code == 200
        return len(captured)

    add_staff(kg_a)
    few = cost()
    add_staff(kg_a, n=5)
    add_staff(kg_b, StaffRole.PRINCIPAL, 3)
    assert cost() == few


def test_the_overview_costs_the_same_queries_however_many_kindergartens(client, bureau_official, staffed_a, kg_b):
    from tests.factories import KindergartenFactory

    client = client_for(client, bureau_official)

    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("staff:index")).status_code == 200
        return len(captured)

    few = cost()
    for _ in range(4):
        staff_to_standard(KindergartenFactory())
    assert cost() == few


def test_a_kindergarten_taking_on_someone_with_a_serious_violation_is_told(
    client, director_a, bureau_official, kg_a, kg_b
):
    from django.contrib.messages import get_messages

    from staff.choices import EthicsKind, EthicsSeverity
    from staff.services import ethics_record_save

    number = id_number(504)
    client_for(client, director_a).post(reverse("staff:member_add", args=[kg_a.pk]), add_form(number))
    person = Person.objects.get()
    ethics_record_save(
        kindergarten=kg_a,
        person=person,
        kind=EthicsKind.VIOLATION,
        severity=EthicsSeverity.SERIOUS,
        occurred_on=datetime.date(2025, 5, 6),
        description="体罚幼儿",
        user=bureau_official,
    )
    person.posts.update(left_on=datetime.date(2025, 8, 31))

    response = client_for(client, bureau_official).post(
        reverse("staff:member_add", args=[kg_b.pk]), add_form(number, **{"post-hired_on": "2025-09-01"})
    )
    assert response.status_code == 302
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("严重师德违规" in m for m in told)
    assert "严重违反师德行为" in client.get(reverse("staff:person_detail", args=[person.pk])).content.decode()
