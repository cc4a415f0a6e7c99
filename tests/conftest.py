"""Persona users shared by every app's tests: who owns, who shares an area, who has no access.

Two sub-districts (望京 and 双井); kindergarten A and B in 望京, C in 双井.
"""

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from rest_framework.test import APIClient

from accounts.choices import Role

from .factories import KindergartenFactory, UserFactory, subdistrict


@pytest.fixture(autouse=True)
def chinese_by_default():
    """Every test starts in the portal's language: a request made in English by an earlier test on
    the same worker leaves English active in the thread (LocaleMiddleware does not reset it)."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's deliberate slowness (about 0.7 s a password here) would dominate the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def two_factor_not_required(settings):
    """The persona bureau administrator signs in with a password alone, as every other test
    expects; tests/accounts/test_two_factor.py turns the requirement back on."""
    settings.OTP_REQUIRED_ROLES = []


@pytest.fixture(autouse=True)
def tasks_run_in_process(monkeypatch):
    """Celery tasks run inside the test, as on the embedded default, even where CI points the
    settings at a Redis broker (no worker listens there during the tests)."""
    from chaoyang_preschool.celery import app as celery_app

    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.fixture(autouse=True)
def dashboard_not_cached(settings):
    """Tests change data between requests without a computation (the dashboard's cache would show
    the page as it was); tests/reports/test_dashboard_cache.py turns the cache back on."""
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture
def wangjing(db):
    return subdistrict("望京")


@pytest.fixture
def shuangjing(db):
    return subdistrict("双井")


@pytest.fixture
def kg_a(wangjing):
    return KindergartenFactory(code="KGA0001", name="望京第一幼儿园", subdistrict=wangjing)


@pytest.fixture
def kg_b(wangjing):
    return KindergartenFactory(code="KGB0001", name="望京花园幼儿园", subdistrict=wangjing)


@pytest.fixture
def kg_c(shuangjing):
    return KindergartenFactory(code="KGC0001", name="双井阳光幼儿园", subdistrict=shuangjing)


@pytest.fixture
def bureau_admin(db):
    return UserFactory(username="admin", role=Role.BUREAU_ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def bureau_official(db):
    return UserFactory(username="bureau", role=Role.BUREAU_OFFICIAL)


@pytest.fixture
def wangjing_official(wangjing):
    return UserFactory(username="wangjing", role=Role.SUBDISTRICT_OFFICIAL, subdistrict=wangjing)


@pytest.fixture
def director_a(kg_a):
    return UserFactory(username="director_a", role=Role.DIRECTOR, kindergarten=kg_a)


@pytest.fixture
def director_b(kg_b):
    return UserFactory(username="director_b", role=Role.DIRECTOR, kindergarten=kg_b)


@pytest.fixture
def inspector(kg_b, kg_c):
    user = UserFactory(username="inspector", role=Role.INSPECTOR)
    user.assigned_kindergartens.set([kg_b, kg_c])
    return user


@pytest.fixture
def kindergartens(kg_a, kg_b, kg_c):
    return [kg_a, kg_b, kg_c]


@pytest.fixture
def personas(bureau_admin, bureau_official, wangjing_official, director_a, director_b, inspector):
    return {
        "bureau_admin": bureau_admin,
        "bureau_official": bureau_official,
        "wangjing_official": wangjing_official,
        "director_a": director_a,
        "director_b": director_b,
        "inspector": inspector,
    }


@pytest.fixture
def api_client():
    return APIClient()


def client_for(client, user):
    """A test client logged in as `user` (force_login: django-axes needs a request for real logins)."""
    client.force_login(user)
    return client
