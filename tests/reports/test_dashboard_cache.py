"""The dashboard's cache (reports.dashboard_cache): per scope, until the next computation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.choices import Role
from accounts.scoping import scope_key
from enrollment.choices import EnrollmentIndicator
from reports import dashboard_cache
from reports.choices import RunStatus
from reports.models import ComputationRun, IndicatorSnapshot
from tests.conftest import client_for
from tests.factories import UserFactory

from .test_dashboard import DASHBOARD, TODAY, figures  # noqa: F401 (the fixture)


@pytest.fixture(autouse=True)
def dashboard_cached(settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def gross(response) -> Decimal:
    return response.context["board"].headline[0].value


def test_it_never_serves_one_scopes_page_to_another(client, bureau_official, wangjing_official, figures):  # noqa: F811
    wangjing, shuangjing = figures
    shuangjing_official = UserFactory(username="shuangjing", role=Role.SUBDISTRICT_OFFICIAL, subdistrict=shuangjing)
    # Each scope fills its own entry first; then each asks again and gets its own figures.
    for _ in range(2):
        assert gross(client_for(client, bureau_official).get(DASHBOARD)) == Decimal("0.925")
        assert gross(client_for(client, wangjing_official).get(f"/dashboard/subdistrict/{wangjing.pk}/")) == Decimal(
            "1.1"
        )
        response = client_for(client, shuangjing_official).get(f"/dashboard/subdistrict/{shuangjing.pk}/")
        assert gross(response) == Decimal("0.75")
        html = response.content.decode()
        assert "92.5%" not in html and "110.0%" not in html
        # A cached page does not widen the scope: another sub-district is still a 404.
        assert client.get(f"/dashboard/subdistrict/{wangjing.pk}/").status_code == 404
        assert client.get(DASHBOARD).url == f"/dashboard/subdistrict/{shuangjing.pk}/"


def test_the_key_is_the_scope_not_the_user(db, bureau_official, wangjing_official, figures):  # noqa: F811
    wangjing, _shuangjing = figures
    colleague = UserFactory(username="wangjing2", role=Role.SUBDISTRICT_OFFICIAL, subdistrict=wangjing)
    admin = UserFactory(username="admin2", role=Role.BUREAU_ADMIN)
    director = UserFactory(username="director2", role=Role.DIRECTOR)
    assert scope_key(colleague) == scope_key(wangjing_official)
    assert len({scope_key(u) for u in (bureau_official, admin, wangjing_official, director)}) == 4
    # The same sub-district page asked by the bureau and by the sub-district: two entries.
    first = dashboard_cache.cached(bureau_official, wangjing.pk, None, lambda: "bureau")
    second = dashboard_cache.cached(wangjing_official, wangjing.pk, None, lambda: "official")
    third = dashboard_cache.cached(colleague, wangjing.pk, None, lambda: "colleague")
    assert (first, second, third) == ("bureau", "official", "official")


def test_a_new_computation_replaces_the_cached_page(client, bureau_official, figures):  # noqa: F811
    client_for(client, bureau_official)
    assert gross(client.get(DASHBOARD)) == Decimal("0.925")
    district = IndicatorSnapshot.objects.filter(
        date=TODAY, subdistrict=None, indicator=EnrollmentIndicator.GROSS_ENROLLMENT_RATE
    )
    district.update(value=Decimal("0.95"))
    # Unchanged by an edit no computation made: this is the cache at work.
    assert gross(client.get(DASHBOARD)) == Decimal("0.925")
    run = ComputationRun.objects.create(date=TODAY)
    assert gross(client.get(DASHBOARD)) == Decimal("0.95")  # a run that starts is a new key
    district.update(value=Decimal("0.96"))
    run.status, run.finished_at = RunStatus.SUCCEEDED, timezone.now()
    run.save()
    assert gross(client.get(DASHBOARD)) == Decimal("0.96")  # and so is one that finishes


def test_it_can_be_turned_off(client, bureau_official, figures, settings):  # noqa: F811
    settings.DASHBOARD_CACHE_SECONDS = 0
    client_for(client, bureau_official)
    assert gross(client.get(DASHBOARD)) == Decimal("0.925")
    IndicatorSnapshot.objects.filter(
        date=TODAY, subdistrict=None, indicator=EnrollmentIndicator.GROSS_ENROLLMENT_RATE
    ).update(value=Decimal("0.95"))
    assert gross(client.get(DASHBOARD)) == Decimal("0.95")


def test_a_cache_that_is_down_leaves_the_page_uncached(client, bureau_official, figures, monkeypatch):  # noqa: F811
    def down(*args, **kwargs):
        raise ConnectionError("cache server unreachable")

    monkeypatch.setattr(dashboard_cache.cache, "get", down)
    monkeypatch.setattr(dashboard_cache.cache, "set", down)
    response = client_for(client, bureau_official).get(DASHBOARD)
    assert response.status_code == 200 and gross(response) == Decimal("0.925")
