"""The portal's own 403 and 404 pages (DEBUG is off in tests, as in production): Chinese, with the nav."""

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_it_shows_a_logged_in_user_the_friendly_404_page_with_the_nav(client, wangjing_official, kg_c):
    response = client_for(client, wangjing_official).get(f"/kindergartens/{kg_c.pk}/")

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "页面不存在" in page
    assert 'aria-label="主导航"' in page
    assert "返回首页" in page
    assert "双井阳光幼儿园" not in page


def test_it_shows_an_anonymous_visitor_the_404_page_without_the_nav(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page
    assert 'aria-label="主导航"' not in page


def test_it_shows_the_friendly_403_page_to_a_director_who_tries_to_create_a_kindergarten(client, director_a):
    response = client_for(client, director_a).get("/kindergartens/new/")

    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "没有权限" in page
    assert 'aria-label="主导航"' in page
