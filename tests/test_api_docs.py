"""The API docs and schema are for signed-in users; the navigation offers them to bureau staff
only, and the Swagger page leads back to the portal. The portal has a favicon."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_schema_and_the_docs_need_a_login(client):
    assert client.get("/api/schema/?format=json").status_code in (401, 403)
    response = client.get("/api/docs/")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_signed_in_user_reads_the_docs_with_a_link_back_to_the_portal(client, director_a):
    client_for(client, director_a)
    assert client.get("/api/schema/?format=json").status_code == 200
    html = client.get("/api/docs/").content.decode()
    assert 'class="portal-back"' in html and f'href="{reverse("home")}"' in html
    assert "返回平台" in html


def test_the_api_link_is_in_the_navigation_of_bureau_staff_only(client, bureau_official, director_a, inspector):
    for user, shown in ((bureau_official, True), (director_a, False), (inspector, False)):
        client_for(client, user)
        page = client.get(reverse("kindergartens:kindergarten_list")).content.decode()
        assert (f'href="{reverse("api_docs")}"' in page) is shown, user.username
        client.logout()


def test_the_portal_has_a_favicon(client, bureau_official):
    assert finders.find("favicon.svg")
    client_for(client, bureau_official)
    page = client.get(reverse("kindergartens:kindergarten_list")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    public = client.get(reverse("public:index")).content.decode()
    assert 'rel="icon"' in public
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302) and response.url == "/static/favicon.svg"
