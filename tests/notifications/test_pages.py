"""The bell, the notifications page and its actions: each user sees and changes only their own."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.context_processors import notifications as bell_context
from notifications.models import Notification
from tests.conftest import client_for

from .conftest import notify

pytestmark = pytest.mark.django_db

LIST_URL = "/notifications/"


def open_url(notification: Notification) -> str:
    return reverse("notifications:notification_open", args=[notification.pk])


def read_url(notification: Notification) -> str:
    return reverse("notifications:notification_read", args=[notification.pk])


class TestBell:
    def test_it_shows_the_unread_count_in_the_top_bar(self, client, director_a):
        notify(director_a, 3)
        Notification.objects.filter(pk=notify(director_a, 1, key="read")[0].pk).update(read_at="2025-01-01T00:00Z")
        page = client_for(client, director_a).get(reverse("kindergartens:kindergarten_list")).content.decode()
        assert 'class="bell has-unread"' in page
        assert '<span class="bell-count">3</span>' in page

    def test_it_shows_no_count_when_everything_is_read(self, client, director_a):
        page = client_for(client, director_a).get(reverse("kindergartens:kindergarten_list")).content.decode()
        assert 'class="bell"' in page and "bell-count" not in page

    def test_it_caps_the_count_at_99(self, client, director_a):
        notify(director_a, 100)
        page = client_for(client, director_a).get(reverse("kindergartens:kindergarten_list")).content.decode()
        assert '<span class="bell-count">99+</span>' in page

    def test_the_count_costs_one_query(self, director_a, django_assert_num_queries):
        notify(director_a, 4)
        request = RequestFactory().get("/")
        request.user = director_a
        with django_assert_num_queries(1):
            context = bell_context(request)
            assert int(str(context["unread_notification_count"])) == 4
            assert context["unread_notification_count"]  # evaluated once, then cached

    def test_it_costs_nothing_for_anonymous_users(self, django_assert_num_queries):
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        with django_assert_num_queries(0):
            assert bell_context(request) == {}

    def test_it_costs_nothing_when_a_page_does_not_show_it(self, director_a, django_assert_num_queries):
        request = RequestFactory().get("/")
        request.user = director_a
        with django_assert_num_queries(0):
            bell_context(request)

    def test_a_page_costs_the_same_with_many_notifications(self, client, director_a):
        client_for(client, director_a)

        def queries(url: str) -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        notify(director_a, 2)
        few = (queries(reverse("kindergartens:kindergarten_list")), queries(LIST_URL))
        notify(director_a, 40, key="more")
        assert (queries(reverse("kindergartens:kindergarten_list")), queries(LIST_URL)) == few


class TestList:
    def test_it_lists_the_users_own_notifications_newest_first_unread_highlighted(self, client, director_a, director_b):
        older, newer = notify(director_a, 2)
        Notification.objects.filter(pk=older.pk).update(read_at="2025-01-01T00:00Z")
        theirs = notify(director_b, 1, title="别人的消息")[0]

        response = client_for(client, director_a).get(LIST_URL)

        assert [n.pk for n in response.context["object_list"]] == [newer.pk, older.pk]
        page = response.content.decode()
        assert theirs.title not in page
        assert page.count('class="notification unread') == 1
        assert open_url(newer) in page and read_url(newer) in page
        assert read_url(older) not in page  # already read: no button

    def test_it_filters_unread_ones_and_paginates(self, client, director_a):
        made = notify(director_a, 30)
        Notification.objects.filter(pk=made[0].pk).update(read_at="2025-01-01T00:00Z")
        client_for(client, director_a)
        assert len(client.get(LIST_URL).context["object_list"]) == 25
        assert len(client.get(f"{LIST_URL}?page=2").context["object_list"]) == 5
        assert client.get(f"{LIST_URL}?unread=true").context["paginator"].count == 29

    def test_anonymous_users_are_sent_to_the_login_page(self, client):
        response = client.get(LIST_URL)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


class TestActions:
    def test_opening_marks_read_and_goes_to_the_link(self, client, director_a):
        notification = notify(director_a, link="/inspections/self-assessments/mine/")[0]
        response = client_for(client, director_a).get(open_url(notification))
        assert response.status_code == 302 and response.url == "/inspections/self-assessments/mine/"
        assert Notification.objects.get(pk=notification.pk).read_at is not None

    @pytest.mark.parametrize("link", ["https://evil.example.com/", "//evil.example.com/x", "/\\evil.example.com", ""])
    def test_it_never_follows_a_link_off_the_site(self, client, director_a, link):
        notification = notify(director_a, link=link)[0]  # created around the model's validation
        response = client_for(client, director_a).get(open_url(notification))
        assert response.status_code == 302 and response.url == LIST_URL

    def test_mark_read_is_a_post_and_returns_to_the_list_page(self, client, director_a):
        notification = notify(director_a)[0]
        client_for(client, director_a)
        assert client.get(read_url(notification)).status_code == 405
        response = client.post(read_url(notification), {"next": f"{LIST_URL}?page=1"})
        assert response.status_code == 302 and response.url == f"{LIST_URL}?page=1"
        assert Notification.objects.get(pk=notification.pk).read_at is not None

    def test_mark_read_ignores_an_off_site_next(self, client, director_a):
        notification = notify(director_a)[0]
        response = client_for(client, director_a).post(read_url(notification), {"next": "https://evil.example.com/"})
        assert response.url == LIST_URL

    def test_mark_all_read_marks_only_the_users_own(self, client, director_a, director_b):
        notify(director_a, 3)
        notify(director_b, 2)
        response = client_for(client, director_a).post(reverse("notifications:notification_read_all"))
        assert response.status_code == 302
        assert Notification.objects.for_user(director_a).unread().count() == 0
        assert Notification.objects.for_user(director_b).unread().count() == 2

    @pytest.mark.parametrize("persona", ["director_b", "bureau_admin", "wangjing_official"])
    def test_another_users_notification_is_404(self, client, personas, director_a, persona):
        notification = notify(director_a)[0]
        client_for(client, personas[persona])
        assert client.get(open_url(notification)).status_code == 404
        assert client.post(read_url(notification)).status_code == 404
        assert Notification.objects.get(pk=notification.pk).read_at is None
