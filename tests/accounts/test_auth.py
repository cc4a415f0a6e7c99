"""Logging in (through the real form, so django-axes sees each attempt), sessions, users' own rules,
their change history and the interface language."""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.choices import Role
from accounts.history import history_entries
from accounts.models import User
from tests.conftest import client_for
from tests.factories import UserFactory

LOGIN_URL = reverse("login")
PASSWORD = "portal-pass-123"  # what UserFactory sets


def log_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra})


def test_it_shows_the_login_page_in_chinese(client, db):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "<h1>登录</h1>" in html
    assert "用户名" in html
    assert "密码" in html
    assert "连续多次输入错误的密码，账号将被临时锁定。" in html


def test_it_refuses_a_wrong_password_with_a_chinese_message(client, bureau_official):
    response = log_in(client, "bureau", "wrong-password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "正确的" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_it_sends_a_director_to_their_to_do_list(client, director_a, kg_a):
    response = log_in(client, "director_a")
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    response = client.get(response["Location"], follow=True)
    assert response.status_code == 200
    assert response.resolver_match.view_name == "home"
    assert "home/todo.html" in [t.name for t in response.templates]
    assert kg_a.name in response.content.decode()
    assert int(client.session[SESSION_KEY]) == director_a.pk


def test_it_sends_a_subdistrict_official_to_their_own_subdistrict(client, wangjing_official, wangjing):
    log_in(client, "wangjing")
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    # The home page is the official's own area's dashboard.
    assert response.context["board"].subdistrict == wangjing


@pytest.mark.parametrize("persona", ["bureau_official", "bureau_admin"])
def test_it_sends_the_bureau_to_the_district_wide_start_page(client, personas, persona):
    log_in(client, personas[persona].username)
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert response.context["board"].subdistrict is None


def test_it_honours_next_after_login(client, bureau_official, kg_c):
    target = reverse("kindergartens:kindergarten_detail", args=[kg_c.pk])
    response = log_in(client, "bureau", next=target)
    assert response["Location"] == target


def test_it_sends_a_logged_in_user_away_from_the_login_page(client, bureau_official):
    client_for(client, bureau_official)
    assert client.get(LOGIN_URL).status_code == 302


def test_it_locks_an_account_after_five_failed_logins(client, bureau_official):
    assert settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(1, 5):
        response = log_in(client, "bureau", f"wrong-{attempt}")
        assert response.status_code == 200, attempt  # the form again, with its error
    response = log_in(client, "bureau", "wrong-5")
    assert "账号已临时锁定" in response.content.decode()

    # The sixth attempt, now with the right password, is refused all the same.
    response = log_in(client, "bureau")
    assert response.status_code == 429
    assert "账号已临时锁定" in response.content.decode()
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert SESSION_KEY not in client.session
    assert client.get(reverse("kindergartens:kindergarten_list")).status_code == 302  # still anonymous


def test_it_counts_failures_per_username(client, bureau_official, wangjing_official):
    for attempt in range(5):
        log_in(client, "bureau", f"wrong-{attempt}")
    response = log_in(client, "wangjing")
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == wangjing_official.pk


def test_it_forgets_failures_after_a_successful_login(client, bureau_official):
    for attempt in range(4):
        log_in(client, "bureau", f"wrong-{attempt}")
    assert log_in(client, "bureau").status_code == 302
    client.logout()
    for attempt in range(4):
        assert log_in(client, "bureau", f"wrong-again-{attempt}").status_code == 200
    assert log_in(client, "bureau").status_code == 302


def test_it_ends_sessions_with_the_browser_and_after_a_working_day(client, bureau_official):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    response = log_in(client, "bureau")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # A browser-session cookie: no expiry for the browser to keep it past closing.
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"]
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == 8 * 3600


def test_it_logs_out_with_a_post(client, bureau_official):
    client_for(client, bureau_official)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session


# --- the user's own rules -------------------------------------------------------------------


def errors_of(user: User) -> dict[str, list[str]]:
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        return exc.message_dict
    return {}


def test_it_requires_a_director_to_have_a_kindergarten(db, kg_a):
    user = User(username="new_director", role=Role.DIRECTOR)
    assert errors_of(user) == {"kindergarten": ["园长必须指定所属幼儿园。"]}
    user.kindergarten = kg_a
    assert errors_of(user) == {}


def test_it_requires_a_subdistrict_official_to_have_a_subdistrict(db, wangjing):
    user = User(username="new_official", role=Role.SUBDISTRICT_OFFICIAL)
    assert errors_of(user) == {"subdistrict": ["街道/地区工作人员必须指定所属街道/地区。"]}
    user.subdistrict = wangjing
    assert errors_of(user) == {}


def test_it_keeps_scope_fields_to_the_roles_they_belong_to(db, kg_a, wangjing):
    assert errors_of(User(username="b1", role=Role.BUREAU_OFFICIAL, subdistrict=wangjing)) == {
        "subdistrict": ["只有街道/地区工作人员可以指定所属街道/地区。"]
    }
    assert errors_of(User(username="b2", role=Role.INSPECTOR, kindergarten=kg_a)) == {
        "kindergarten": ["只有园长可以指定所属幼儿园。"]
    }
    assert errors_of(User(username="b3", role=Role.BUREAU_ADMIN)) == {}


def test_it_records_a_role_change_in_the_users_history(db, kg_a):
    user = UserFactory(username="zhang", role=Role.BUREAU_OFFICIAL)
    before = user.history.count()
    user.role = Role.DIRECTOR
    user.kindergarten = kg_a
    user.save()
    assert user.history.count() == before + 1
    latest = history_entries(user)[0]
    assert latest.kind == "修改"
    changes = {c.label: (c.old, c.new) for c in latest.changes}
    assert changes == {"角色": ("区教委工作人员", "园长"), "所属幼儿园": ("—", "望京第一幼儿园")}
    # Passwords are no part of the history.
    assert not hasattr(user.history.first(), "password")


def test_it_attributes_a_role_change_made_in_the_admin(client, bureau_admin, kg_a, wangjing):
    user = UserFactory(username="li", role=Role.BUREAU_OFFICIAL)
    client_for(client, bureau_admin)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    assert client.get(url).status_code == 200
    data = {
        "username": "li",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "role": Role.SUBDISTRICT_OFFICIAL,
        "subdistrict": wangjing.pk,
        "kindergarten": "",
    }
    # Without the sub-district the form refuses, on that field.
    refused = client.post(url, {**data, "subdistrict": ""})
    assert refused.status_code == 200
    assert "subdistrict" in refused.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.role == Role.BUREAU_OFFICIAL

    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    user.refresh_from_db()
    assert (user.role, user.subdistrict) == (Role.SUBDISTRICT_OFFICIAL, wangjing)
    latest = user.history.latest()
    assert latest.history_user == bureau_admin
    assert latest.prev_record.role == Role.BUREAU_OFFICIAL


# --- language -------------------------------------------------------------------------------


def test_it_speaks_chinese_by_default_and_switches_to_english(client, bureau_official):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert dict(settings.LANGUAGES).keys() == {"zh-hans", "en"}
    client_for(client, bureau_official)
    list_url = reverse("kindergartens:kindergarten_list")
    assert '<html lang="zh-hans">' in client.get(list_url).content.decode()

    response = client.post(reverse("set_language"), {"language": "en", "next": list_url})
    assert response.status_code == 302
    assert response["Location"] == list_url
    assert '<html lang="en">' in client.get(list_url).content.decode()

    client.post(reverse("set_language"), {"language": "zh-hans", "next": list_url})
    assert '<html lang="zh-hans">' in client.get(list_url).content.decode()


def test_it_switches_the_language_before_login_too(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN_URL})
    assert '<html lang="en">' in client.get(LOGIN_URL).content.decode()
