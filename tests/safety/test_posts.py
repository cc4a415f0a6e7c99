"""Peak-hour posts (护学岗): the roster kept by the director or the bureau, and the coverage per
sub-district on hand-computed data (one GROUP BY query)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kindergartens.choices import LicenceStatus
from kindergartens.models import Kindergarten
from safety import services
from safety.choices import days_mask
from safety.models import PeakHourRule, SafetyPost
from safety.models.posts import coverage_by_subdistrict
from tests.conftest import client_for
from tests.factories import KindergartenFactory
from tests.helpers import VISIBLE_KINDERGARTENS, assert_api_scope

pytestmark = pytest.mark.django_db

WEEK = [0, 1, 2, 3, 4]


def t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def post(kindergarten, user, *, days=WEEK, start="07:00", end="08:45", kind="police", **extra) -> SafetyPost:
    return services.post_record(
        kindergarten=kindergarten,
        user=user,
        kind=kind,
        days=days_mask(days),
        start_time=t(start),
        end_time=t(end),
        people=extra.pop("people", "望京派出所 王警官"),
        **extra,
    )


@pytest.fixture
def rule() -> PeakHourRule:
    """The rule seeded by the migration: 07:30–08:30, Monday to Friday."""
    found = PeakHourRule.objects.for_day(timezone.localdate())
    assert (found.morning_peak_start, found.morning_peak_end, found.school_days) == (t("07:30"), t("08:30"), 31)
    return found


@pytest.fixture
def roster(bureau_official, kg_a, kg_b, kg_c, wangjing, shuangjing):
    """Wangjing: A covered, B covered by two posts together, F short of Friday, E not operating.
    Shuangjing: C starts after the peak begins, D's post is inactive. So 2 / 3 and 0 / 2."""
    kg_d = KindergartenFactory(code="KGD0001", name="双井启明幼儿园", subdistrict=shuangjing)
    kg_e = KindergartenFactory(
        code="KGE0001", name="望京未取证幼儿园", subdistrict=wangjing, licence_status=LicenceStatus.UNLICENSED
    )
    kg_f = KindergartenFactory(code="KGF0001", name="望京四天幼儿园", subdistrict=wangjing)
    post(kg_a, bureau_official)
    post(kg_b, bureau_official, days=[0, 2, 4], start="07:30", end="08:30", kind="volunteer")
    post(kg_b, bureau_official, days=[1, 3], start="07:20", end="08:40", kind="school_gate")
    post(kg_c, bureau_official, start="07:45", end="08:30", kind="school_gate")
    post(kg_d, bureau_official, start="07:00", end="09:00", active=False)
    post(kg_e, bureau_official)
    post(kg_f, bureau_official, days=[0, 1, 2, 3])
    return {"D": kg_d, "E": kg_e, "F": kg_f}


class TestCoverage:
    def test_it_counts_covered_and_operating_kindergartens_per_subdistrict(self, rule, roster, wangjing, shuangjing):
        with CaptureQueriesContext(connection) as captured:
            rows = coverage_by_subdistrict(Kindergarten.objects.all(), rule)
        assert len(captured) == 1
        found = {row["subdistrict"]: (row["covered"], row["total"]) for row in rows}
        assert found == {wangjing.pk: (2, 3), shuangjing.pk: (0, 2)}

    def test_the_page_shows_numerator_and_denominator_within_the_users_scope(
        self, client, rule, roster, bureau_official, wangjing_official
    ):
        page = client_for(client, bureau_official).get(reverse("safety:post_coverage")).content.decode()
        assert "已覆盖 2 所 / 在办 5 所" in page and "40.0%" in page and "66.7%" in page
        page = client_for(client, wangjing_official).get(reverse("safety:post_coverage")).content.decode()
        assert "已覆盖 2 所 / 在办 3 所" in page and "双井" not in page

    def test_a_post_given_up_no_longer_covers(self, rule, roster, bureau_official, kg_a, wangjing):
        services.post_update(post=kg_a.safety_posts.get(), user=bureau_official, active=False)
        rows = coverage_by_subdistrict(Kindergarten.objects.all(), rule)
        assert {r["subdistrict"]: r["covered"] for r in rows}[wangjing.pk] == 1


class TestRoster:
    def test_a_director_keeps_their_own_roster_on_the_page(self, client, director_a, kg_a, kg_b):
        client = client_for(client, director_a)
        data = {
            "kindergarten": kg_a.pk,
            "kind": "school_gate",
            "weekdays": ["0", "1", "2", "3", "4"],
            "start_time": "07:20",
            "end_time": "08:40",
            "people": "保安员 李师傅",
            "active": "on",
        }
        assert client.post(reverse("safety:post_add"), data).status_code == 302
        saved = SafetyPost.objects.get()
        assert saved.days == 31 and saved.day_labels() == ["周一", "周二", "周三", "周四", "周五"]
        response = client.post(reverse("safety:post_add"), {**data, "kindergarten": kg_b.pk})
        assert response.status_code == 200 and "kindergarten" in response.context["form"].errors
        edit = reverse("safety:post_edit", args=[saved.pk])
        assert client.post(edit, {**data, "weekdays": ["0", "2"], "end_time": "07:00"}).status_code == 200
        assert client.post(edit, {**data, "weekdays": ["0", "2"]}).status_code == 302
        saved.refresh_from_db()
        assert saved.days == days_mask([0, 2])

    def test_watchers_and_other_directors_do_not_keep_it(self, client, bureau_official, director_b, inspector, kg_a):
        saved = post(kg_a, bureau_official)
        assert client_for(client, director_b).get(reverse("safety:post_edit", args=[saved.pk])).status_code == 404
        assert client_for(client, inspector).get(reverse("safety:post_add")).status_code == 403
        with pytest.raises(PermissionDenied):
            post(kg_a, director_b)

    @pytest.mark.parametrize("persona", sorted(VISIBLE_KINDERGARTENS))
    def test_the_api_lists_what_each_persona_may_see(
        self, api_client, personas, bureau_official, kg_a, kg_b, kg_c, persona
    ):
        posts = {k: post(kg, bureau_official) for k, kg in zip("ABC", (kg_a, kg_b, kg_c), strict=True)}
        expected = [posts[k].pk for k in "ABC" if k in VISIBLE_KINDERGARTENS[persona]]
        hidden = [posts[k].pk for k in "ABC" if k not in VISIBLE_KINDERGARTENS[persona]]
        assert_api_scope(api_client, personas[persona], "/api/safety-posts/", expected, hidden_ids=hidden)

    def test_the_api_takes_days_as_weekday_numbers(self, api_client, director_a, kg_a, kg_b):
        api_client.force_authenticate(director_a)
        data = {
            "kindergarten": kg_a.pk,
            "kind": "volunteer",
            "days": [0, 4],
            "start_time": "07:30",
            "end_time": "08:30",
            "people": "家长志愿者",
        }
        response = api_client.post("/api/safety-posts/", data, format="json")
        assert response.status_code == 201 and response.json()["days"] == [0, 4]
        assert api_client.post("/api/safety-posts/", {**data, "days": [9]}, format="json").status_code == 400
        assert (
            api_client.post("/api/safety-posts/", {**data, "kindergarten": kg_b.pk}, format="json").status_code == 400
        )

    def test_the_roster_costs_the_same_queries_however_many_posts(self, client, bureau_official, kg_a, kg_b, kg_c):
        client = client_for(client, bureau_official)

        def cost() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("safety:post_list")).status_code == 200
            return len(captured)

        post(kg_a, bureau_official)
        few = cost()
        for kg in (kg_b, kg_c, kg_a, kg_b):
            post(kg, bureau_official)
        assert cost() == few
