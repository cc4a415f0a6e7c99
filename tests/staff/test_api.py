"""/api/staff/ and /api/certificates/: scoped like the pages (404 outside), ID numbers masked."""

import pytest

from staff.choices import CertificateKind

from .factories import CertificateFactory, PersonFactory, StaffMemberFactory, id_number

pytestmark = pytest.mark.django_db

NUMBER = id_number(888, birth="19850505")


@pytest.fixture
def posts(kg_a, kg_b, kg_c):
    a = StaffMemberFactory(kindergarten=kg_a, person=PersonFactory(number=NUMBER, name="甲"))
    b = StaffMemberFactory(kindergarten=kg_b, person=PersonFactory(name="乙"))
    c = StaffMemberFactory(kindergarten=kg_c, person=PersonFactory(name="丙"))
    for post in (a, b, c):
        CertificateFactory(person=post.person, kind=CertificateKind.TEACHER)
    return {"A": a, "B": b, "C": c}


SEES = {
    "bureau_admin": "ABC",
    "bureau_official": "ABC",
    "wangjing_official": "AB",
    "director_a": "A",
    "director_b": "B",
    "inspector": "BC",
}


@pytest.mark.parametrize("persona", SEES)
def test_each_role_sees_its_own_staff_and_certificates(api_client, personas, posts, persona):
    api_client.force_authenticate(personas[persona])
    staff = api_client.get("/api/staff/").json()["results"]
    assert {row["person"]["name"] for row in staff} == {posts[k].person.name for k in SEES[persona]}
    certificates = api_client.get("/api/certificates/").json()["results"]
    assert {row["person_name"] for row in certificates} == {posts[k].person.name for k in SEES[persona]}
    for key, post in posts.items():
        expected = 200 if key in SEES[persona] else 404
        assert api_client.get(f"/api/staff/{post.pk}/").status_code == expected
        certificate = post.person.certificates.get()
        assert api_client.get(f"/api/certificates/{certificate.pk}/").status_code == expected


@pytest.mark.parametrize("persona", SEES)
def test_the_api_never_gives_the_whole_number(api_client, personas, posts, persona):
    api_client.force_authenticate(personas[persona])
    for url in ("/api/staff/", f"/api/staff/{posts['A'].pk}/", "/api/certificates/", "/api/staff/?q=" + NUMBER[-4:]):
        response = api_client.get(url)
        text = response.content.decode()
        assert NUMBER not in text and NUMBER[:14] not in text and posts["A"].person.id_hash not in text
    if "A" in SEES[persona]:
        row = api_client.get(f"/api/staff/{posts['A'].pk}/").json()
        assert row["person"]["id_number_masked"] == "*" * 14 + NUMBER[-4:]


def test_the_api_is_read_only(api_client, personas, posts):
    api_client.force_authenticate(personas["bureau_official"])
    assert api_client.post("/api/staff/", {}, format="json").status_code == 405
    assert api_client.delete(f"/api/certificates/{posts['A'].person.certificates.get().pk}/").status_code == 405


def test_the_api_filters_like_the_list(api_client, personas, posts, kg_a):
    posts["B"].left_on = posts["B"].hired_on
    posts["B"].save()
    api_client.force_authenticate(personas["bureau_official"])
    assert {r["person"]["name"] for r in api_client.get("/api/staff/").json()["results"]} == {"甲", "丙"}
    everyone = api_client.get("/api/staff/?current=false").json()["results"]
    assert {r["person"]["name"] for r in everyone} == {"乙"}
    assert [r["person"]["name"] for r in api_client.get(f"/api/staff/?kindergarten={kg_a.pk}").json()["results"]] == [
        "甲"
    ]
    assert api_client.get("/api/staff/?certificates=missing").json()["count"] == 0


def test_anonymous_callers_get_nothing(api_client, posts):
    assert api_client.get("/api/staff/").status_code in (401, 403)
