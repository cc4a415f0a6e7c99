"""The bureau's submission tracker, school years and the year lock."""

from decimal import Decimal

import pytest
from django.urls import reverse

from enrollment.models import SchoolYear
from kindergartens.choices import LicenceStatus
from tests.conftest import client_for
from tests.factories import KindergartenFactory

from .factories import SchoolClassFactory, SubmissionFactory


@pytest.fixture
def reports(kg_a, kg_b, kg_c, year):
    """kg_a submitted, kg_b drafted, kg_c nothing; a closed kindergarten and one without approved
    places (not open yet) are not expected to report."""
    SubmissionFactory(kindergarten=kg_a, school_year=year, submitted=True)
    SubmissionFactory(kindergarten=kg_b, school_year=year)
    KindergartenFactory(code="CLOSED01", subdistrict=kg_a.subdistrict, licence_status=LicenceStatus.CLOSED)
    KindergartenFactory(code="PLANNED1", subdistrict=kg_a.subdistrict, approved_capacity=0)


def tracker(client, **params):
    return client.get(reverse("enrollment:tracker"), {"year": 2026, **params})


@pytest.mark.django_db
class TestTracker:
    def test_it_counts_submissions_per_subdistrict(self, client, bureau_official, reports):
        response = tracker(client_for(client, bureau_official))

        counts = {
            r["subdistrict__name"]: (r["total"], r["submitted"], r["draft"], r["missing"])
            for r in response.context["counts"]
        }
        assert counts == {"望京": (2, 1, 1, 0), "双井": (1, 0, 0, 1)}
        assert response.context["overall"]["total"] == 3
        # Cut to one decimal like every share the portal prints: 33.33… % is 33.3 %.
        assert response.context["overall"]["rate"] == Decimal("33.3")

    def test_it_counts_with_a_constant_number_of_queries(
        self, client, bureau_official, reports, django_assert_max_num_queries
    ):
        client_for(client, bureau_official)
        tracker(client)
        for n in range(20):
            KindergartenFactory(code=f"MORE{n:04d}")

        with django_assert_max_num_queries(12):
            response = tracker(client)

        assert response.context["overall"]["total"] == 23

    def test_it_filters_by_status_and_subdistrict(self, client, bureau_official, reports, kg_b, kg_c, wangjing):
        client_for(client, bureau_official)

        missing = tracker(client, status="missing")
        drafts = tracker(client, status="draft", subdistrict=wangjing.pk)

        assert [kg.code for kg in missing.context["object_list"]] == [kg_c.code]
        assert [kg.code for kg in drafts.context["object_list"]] == [kg_b.code]

    def test_it_links_each_kindergarten_to_its_report(self, client, bureau_official, reports, kg_c):
        response = tracker(client_for(client, bureau_official))

        assert reverse("enrollment:report", args=[kg_c.pk, 2026]) in response.content.decode()

    def test_it_shows_a_subdistrict_official_only_their_area(self, client, wangjing_official, reports, kg_c):
        response = tracker(client_for(client, wangjing_official))

        assert [r["subdistrict__name"] for r in response.context["counts"]] == ["望京"]
        assert kg_c.code not in {kg.code for kg in response.context["object_list"]}
        assert "锁定学年" not in response.content.decode()


@pytest.mark.django_db
class TestSchoolYears:
    def test_it_lets_the_bureau_create_a_year_with_a_due_date(self, client, bureau_official):
        response = client_for(client, bureau_official).post(
            reverse("enrollment:schoolyear_add"), {"start_year": 2027, "submission_due": "2027-10-15"}
        )

        assert response.status_code == 302
        year = SchoolYear.objects.get(start_year=2027)
        assert str(year.submission_due) == "2027-10-15"
        assert year.history.get().history_user == bureau_official

    def test_it_refuses_a_duplicate_year(self, client, bureau_official, year):
        response = client_for(client, bureau_official).post(reverse("enrollment:schoolyear_add"), {"start_year": 2026})

        assert response.status_code == 200
        assert response.context["form"].errors["start_year"]

    def test_it_keeps_school_year_management_for_the_bureau(self, client, director_a, wangjing_official, year):
        for user in (director_a, wangjing_official):
            client_for(client, user)
            assert client.get(reverse("enrollment:schoolyear_list")).status_code == 403
            assert client.post(reverse("enrollment:schoolyear_add"), {"start_year": 2030}).status_code == 403


@pytest.mark.django_db
class TestLock:
    def test_it_asks_for_confirmation_then_locks_and_unlocks(self, client, bureau_official, reports, year):
        client_for(client, bureau_official)
        lock_url = reverse("enrollment:schoolyear_lock", args=[2026])

        confirm = client.get(lock_url)
        assert confirm.status_code == 200
        assert "已报送 1 / 3 所" in confirm.content.decode()
        year.refresh_from_db()
        assert not year.locked

        client.post(lock_url)
        year.refresh_from_db()
        assert year.locked and year.locked_by == bureau_official

        client.post(reverse("enrollment:schoolyear_unlock", args=[2026]))
        year.refresh_from_db()
        assert not year.locked and year.locked_by is None

    def test_it_lets_only_the_bureau_lock(self, client, director_a, wangjing_official, year):
        for user in (director_a, wangjing_official):
            response = client_for(client, user).post(reverse("enrollment:schoolyear_lock", args=[2026]))
            assert response.status_code == 403
        year.refresh_from_db()
        assert not year.locked


@pytest.mark.django_db
class TestWithoutOfficialFigures:
    """`status=no_figures`: the kindergartens missing from the year's indicators (the dashboard's
    completeness links here) — a draft or nothing, unless the bureau imported their figures."""

    def test_it_lists_a_draft_and_nothing_but_not_a_submission(self, client, bureau_official, reports, kg_b, kg_c):
        listed = tracker(client_for(client, bureau_official), status="no_figures").context["object_list"]

        assert [k.code for k in listed] == [kg_c.code, kg_b.code]  # 双井 (016) before 望京 (026)

    def test_figures_imported_by_the_bureau_count_without_a_submission(
        self, client, bureau_official, reports, kg_b, kg_c, year
    ):
        SchoolClassFactory(kindergarten=kg_c, school_year=year)  # the statistics import writes classes only

        listed = tracker(client_for(client, bureau_official), status="no_figures").context["object_list"]

        assert [k.code for k in listed] == [kg_b.code]
