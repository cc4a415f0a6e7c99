"""Warnings that can be acted on: the follow-up survives recomputation, reopens, is scoped, links."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from reports.choices import WarningKind
from reports.follow_up import FollowUpStatus, WarningFollowUp
from reports.follow_up_services import warning_follow_up
from reports.models import EarlyWarning
from reports.services import compute_indicators

from .conftest import DAY, add_population

pytestmark = pytest.mark.usefixtures("fake_report")


@pytest.fixture
def raised(district, bureau_official):
    """Enough young children in 望京 for seat-shortage warnings, computed for DAY."""
    add_population(district.wangjing, 2025, {0: 400, 1: 400, 2: 400})
    compute_indicators(date=DAY, user=bureau_official)
    return EarlyWarning.objects.filter(date=DAY, kind=WarningKind.SEAT_SHORTAGE).order_by("year").first()


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def same_warning(warning: EarlyWarning, day: datetime.date) -> EarlyWarning:
    return EarlyWarning.objects.get(
        date=day, kind=warning.kind, subdistrict=warning.subdistrict, year=warning.year, kindergarten=None
    )


def test_it_keeps_the_follow_up_when_the_computation_rebuilds_the_warnings(raised, bureau_official, bureau_admin):
    warning_follow_up(
        warning=raised, user=bureau_official, status=FollowUpStatus.IN_HAND, owner=bureau_admin, note="已联系街道"
    )
    compute_indicators(date=DAY, user=bureau_official)
    assert not EarlyWarning.objects.filter(pk=raised.pk).exists()  # the row itself was rebuilt
    rebuilt = same_warning(raised, DAY)
    follow_up = WarningFollowUp.objects.get()
    assert (follow_up.status, follow_up.owner, follow_up.notes.get().text) == (
        FollowUpStatus.IN_HAND,
        bureau_admin,
        "已联系街道",
    )
    client = web(bureau_official)
    page = client.get(reverse("reports:warning_detail", args=[rebuilt.pk]))
    assert "已联系街道" in page.content.decode() and "处理中" in page.content.decode()


def test_it_reopens_a_resolved_warning_raised_again_on_a_later_date(raised, bureau_official):
    warning_follow_up(warning=raised, user=bureau_official, status=FollowUpStatus.RESOLVED)
    compute_indicators(date=DAY, user=bureau_official)  # the same date again: stays resolved
    assert WarningFollowUp.objects.get().status == FollowUpStatus.RESOLVED
    later = DAY + datetime.timedelta(days=1)
    compute_indicators(date=later, user=bureau_official)
    follow_up = WarningFollowUp.objects.get()
    assert follow_up.status == FollowUpStatus.NEW and follow_up.resolved_as_of is None
    assert "重新打开" in follow_up.notes.first().text


def test_it_lets_only_district_wide_staff_act_and_owners_are_bureau_staff(raised, wangjing_official, bureau_official):
    with pytest.raises(PermissionDenied):
        warning_follow_up(warning=raised, user=wangjing_official, status=FollowUpStatus.ACKNOWLEDGED)
    with pytest.raises(ValidationError) as error:
        warning_follow_up(warning=raised, user=bureau_official, owner=wangjing_official)
    assert "owner" in error.value.message_dict
    assert not WarningFollowUp.objects.exists()
    client = web(wangjing_official)
    url = reverse("reports:warning_detail", args=[raised.pk])
    assert client.get(url).status_code == 200  # their own area: read
    assert client.post(url, {"status": FollowUpStatus.RESOLVED}).status_code == 403
    assert not WarningFollowUp.objects.exists()


def test_it_answers_404_outside_the_officials_area(raised, district, db):
    from accounts.choices import Role
    from tests.factories import UserFactory

    other = UserFactory(role=Role.SUBDISTRICT_OFFICIAL, subdistrict=district.shuangjing)
    client = web(other)
    assert client.get(reverse("reports:warning_detail", args=[raised.pk])).status_code == 404
    api = api_for(other)
    assert api.post(f"/api/warnings/{raised.pk}/follow-up/", {"status": "resolved"}).status_code == 404


def test_it_acknowledges_and_assigns_from_the_page_and_lists_new_first(raised, bureau_official, bureau_admin):
    client = web(bureau_official)
    url = reverse("reports:warning_detail", args=[raised.pk])
    response = client.post(url, {"status": FollowUpStatus.ACKNOWLEDGED, "owner": bureau_admin.pk, "note": "请跟进"})
    assert response.status_code == 302
    follow_up = WarningFollowUp.objects.get()
    assert (follow_up.status, follow_up.owner, follow_up.history.first().history_user) == (
        FollowUpStatus.ACKNOWLEDGED,
        bureau_admin,
        bureau_official,
    )
    listing = client.get(reverse("reports:warning_list"), {"date": DAY.isoformat()})
    rows = list(listing.context["object_list"])
    assert rows[-1].pk == raised.pk and rows[0].follow_up_status == FollowUpStatus.NEW
    mine = client.get(reverse("reports:warning_list"), {"owner": bureau_admin.pk})
    assert [w.pk for w in mine.context["object_list"]] == [raised.pk]
    acknowledged = client.get(reverse("reports:warning_list"), {"status": "acknowledged"})
    assert [w.pk for w in acknowledged.context["object_list"]] == [raised.pk]


def test_it_links_sub_districts_and_kindergartens(raised, district, bureau_official):
    client = web(bureau_official)
    page = client.get(reverse("reports:warning_list")).content.decode()
    assert reverse("reports:subdistrict_dashboard", args=[district.wangjing.pk]) in page
    assert reverse("reports:warning_detail", args=[raised.pk]) in page
    underused = EarlyWarning.objects.filter(kindergarten__isnull=False).first()
    if underused is not None:
        assert underused.kindergarten.get_absolute_url() in page
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    assert reverse("reports:subdistrict_dashboard", args=[district.wangjing.pk]) in dashboard
    assert "学位需求（个）" in dashboard and "2026–2027" in dashboard
    assert "个学位 · 下一学年（2026–2027）" in dashboard  # the forecast tile: unit and year


def test_it_reads_and_writes_the_follow_up_through_the_api(raised, bureau_official, bureau_admin):
    api = api_for(bureau_official)
    url = f"/api/warnings/{raised.pk}/"
    assert api.get(url).json()["follow_up_status"] == "new"
    response = api.post(url + "follow-up/", {"status": "in_hand", "owner": bureau_admin.pk, "note": "x"})
    assert response.status_code == 200, response.content
    assert (response.json()["follow_up_status"], response.json()["follow_up_owner"]) == ("in_hand", bureau_admin.pk)
    bad = api.post(url + "follow-up/", {"status": "nonsense"})
    assert bad.status_code == 400 and "status" in bad.json()


def test_it_lists_warnings_in_a_fixed_number_of_queries(raised, bureau_official, bureau_admin):
    client = web(bureau_official)
    client.get(reverse("reports:warning_list"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("reports:warning_list"))
    for warning in EarlyWarning.objects.all():
        warning_follow_up(warning=warning, user=bureau_official, owner=bureau_admin)
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("reports:warning_list"))
    assert len(after) <= len(before) + 1  # the owners, in one query
