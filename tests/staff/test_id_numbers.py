"""National ID numbers: masked on every page for everyone; whole only to a bureau administrator
through the reveal, which is recorded; never in the logs."""

import logging

import pytest
from django.urls import reverse

from staff.models import IdReveal
from tests.conftest import client_for

from .factories import CertificateFactory, StaffMemberFactory, id_number

pytestmark = pytest.mark.django_db

NUMBER = id_number(777, birth="19880808")


@pytest.fixture
def post(kg_a):
    from .factories import PersonFactory

    post = StaffMemberFactory(kindergarten=kg_a, person=PersonFactory(number=NUMBER, name="赵敏"))
    CertificateFactory(person=post.person)
    return post


def pages(post) -> list[str]:
    person = post.person.pk
    return [
        reverse("staff:index"),
        reverse("staff:member_list"),
        reverse("staff:member_list") + "?q=" + NUMBER[-4:],
        reverse("staff:kindergarten", args=[post.kindergarten_id]),
        reverse("staff:person_detail", args=[person]),
        reverse("staff:person_edit", args=[person]),
        reverse("staff:member_edit", args=[post.pk]),
        reverse("staff:certificate_expiry"),
    ]


def unmasked(text: str) -> bool:
    """The number, or a long stretch of it (more than the last four), anywhere in the text."""
    return NUMBER in text or NUMBER[:14] in text or NUMBER[4:] in text


@pytest.mark.parametrize("persona", ["bureau_admin", "bureau_official", "wangjing_official", "director_a"])
def test_no_page_shows_the_whole_number(client, request, persona, post):
    client = client_for(client, request.getfixturevalue(persona))
    for url in pages(post):
        response = client.get(url)
        if response.status_code == 200:
            assert not unmasked(response.content.decode()), url


def test_the_masked_number_shows_only_the_last_four(client, director_a, post):
    page = client_for(client, director_a).get(reverse("staff:person_detail", args=[post.person.pk])).content.decode()
    assert "**************" + NUMBER[-4:] in page


def test_the_admin_site_shows_it_masked(client, bureau_admin, post):
    client = client_for(client, bureau_admin)
    listing = client.get(reverse("admin:staff_person_changelist")).content.decode()
    change = client.get(reverse("admin:staff_person_change", args=[post.person.pk])).content.decode()
    assert not unmasked(listing) and not unmasked(change)


def test_a_bureau_administrator_sees_it_after_a_recorded_reveal(client, bureau_admin, post, caplog):
    client = client_for(client, bureau_admin)
    url = reverse("staff:id_reveal", args=[post.person.pk])
    assert not unmasked(client.get(url).content.decode())
    assert client.post(url, {"reason": ""}).status_code == 200
    assert not IdReveal.objects.exists()

    with caplog.at_level(logging.DEBUG):
        response = client.post(url, {"reason": "核对社保缴纳信息"})
    assert response.status_code == 200
    assert NUMBER in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert NUMBER not in caplog.text
    reveal = IdReveal.objects.get()
    assert (reveal.person, reveal.revealed_by, reveal.reason) == (post.person, bureau_admin, "核对社保缴纳信息")
    # The person's page lists the reveal, and still shows the number masked.
    page = client.get(reverse("staff:person_detail", args=[post.person.pk])).content.decode()
    assert "核对社保缴纳信息" in page and not unmasked(page)


@pytest.mark.parametrize("persona", ["bureau_official", "wangjing_official", "director_a"])
def test_nobody_else_may_reveal(client, request, persona, post):
    client = client_for(client, request.getfixturevalue(persona))
    url = reverse("staff:id_reveal", args=[post.person.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"reason": "想看看"})
    assert response.status_code == 403
    assert not unmasked(response.content.decode())
    assert not IdReveal.objects.exists()


def test_the_reveal_log_is_for_bureau_eyes(client, bureau_admin, director_a, post):
    client_for(client, bureau_admin).post(reverse("staff:id_reveal", args=[post.person.pk]), {"reason": "核对"})
    page = client_for(client, director_a).get(reverse("staff:person_detail", args=[post.person.pk]))
    assert list(page.context["reveals"]) == []
