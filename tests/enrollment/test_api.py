"""Enrolment API: scoping, official rows written by the bureau only, reports, locks, bureau-only population."""

import pytest

from enrollment.models import ChildPopulation, EnrollmentByAge, SchoolClass
from enrollment.services import school_year_lock

from .factories import ChildPopulationFactory, EnrollmentByAgeFactory, SchoolClassFactory, SubmissionFactory

NEW_CLASS = {"class_type": "small", "name": "小三班", "approved_size": 25, "enrolled": 23, "school_year": 2026}


@pytest.fixture
def classes(kg_a, kg_b, kg_c, year):
    return {kg: SchoolClassFactory(kindergarten=kg, school_year=year, name="小一班") for kg in (kg_a, kg_b, kg_c)}


def codes(response) -> set[str]:
    return {row["kindergarten_code"] for row in response.json()["results"]}


@pytest.mark.django_db
class TestClasses:
    def test_it_lets_the_bureau_create_and_update_official_classes(self, api_client, bureau_official, kg_a, year):
        api_client.force_authenticate(bureau_official)

        created = api_client.post("/api/classes/", {**NEW_CLASS, "kindergarten": kg_a.pk}, format="json")
        updated = api_client.patch(f"/api/classes/{created.json()['id']}/", {"enrolled": 27}, format="json")

        assert created.status_code == 201, created.json()
        assert updated.status_code == 200
        assert updated.json()["over_limit"] is True
        school_class = SchoolClass.objects.get(name="小三班")
        assert school_class.enrolled == 27
        assert school_class.history.first().history_user == bureau_official

    def test_it_keeps_a_director_off_the_official_rows(self, api_client, director_a, kg_a, classes, year):
        """Official figures change through a report (draft, submission, correction), never row by row."""
        api_client.force_authenticate(director_a)

        created = api_client.post("/api/classes/", {**NEW_CLASS, "kindergarten": kg_a.pk}, format="json")
        updated = api_client.patch(f"/api/classes/{classes[kg_a].pk}/", {"enrolled": 1}, format="json")
        deleted = api_client.delete(f"/api/classes/{classes[kg_a].pk}/")

        assert (created.status_code, updated.status_code, deleted.status_code) == (403, 403, 403)
        assert "在园情况报送" in created.json()["detail"]
        assert SchoolClass.objects.get(pk=classes[kg_a].pk).enrolled == 24
        assert not SchoolClass.objects.filter(name="小三班").exists()

    def test_it_refuses_a_director_another_kindergartens_classes(self, api_client, director_a, kg_b, classes):
        api_client.force_authenticate(director_a)

        created = api_client.post("/api/classes/", {**NEW_CLASS, "kindergarten": kg_b.pk}, format="json")
        read = api_client.get(f"/api/classes/{classes[kg_b].pk}/")
        updated = api_client.patch(f"/api/classes/{classes[kg_b].pk}/", {"enrolled": 1}, format="json")
        deleted = api_client.delete(f"/api/classes/{classes[kg_b].pk}/")

        assert created.status_code == 400
        assert "kindergarten" in created.json()
        assert (read.status_code, updated.status_code, deleted.status_code) == (404, 404, 404)
        assert SchoolClass.objects.get(pk=classes[kg_b].pk).enrolled == 24

    def test_it_refuses_changes_in_a_locked_year(self, api_client, director_a, bureau_official, kg_a, classes, year):
        school_year_lock(school_year=year, user=bureau_official)
        own = classes[kg_a]

        for user in (director_a, bureau_official):
            api_client.force_authenticate(user)
            created = api_client.post("/api/classes/", {**NEW_CLASS, "kindergarten": kg_a.pk}, format="json")
            updated = api_client.patch(f"/api/classes/{own.pk}/", {"enrolled": 1}, format="json")
            deleted = api_client.delete(f"/api/classes/{own.pk}/")
            assert (created.status_code, updated.status_code, deleted.status_code) == (403, 403, 403)
        assert "已锁定" in created.json()["detail"]
        assert SchoolClass.objects.get(pk=own.pk).enrolled == 24
        assert not SchoolClass.objects.filter(name="小三班").exists()

    def test_it_refuses_a_director_changes_to_a_submitted_report(self, api_client, director_a, kg_a, classes, year):
        SubmissionFactory(kindergarten=kg_a, school_year=year, submitted=True)
        api_client.force_authenticate(director_a)

        response = api_client.patch(f"/api/classes/{classes[kg_a].pk}/", {"enrolled": 1}, format="json")

        assert response.status_code == 403

    def test_it_scopes_the_list_and_filters_it(self, api_client, wangjing_official, classes, wangjing, shuangjing):
        api_client.force_authenticate(wangjing_official)

        everything = api_client.get("/api/classes/")
        other_area = api_client.get("/api/classes/", {"subdistrict": shuangjing.pk})
        by_code = api_client.get("/api/classes/", {"kindergarten_code": "KGB0001", "school_year": 2026})

        assert codes(everything) == {"KGA0001", "KGB0001"}
        assert other_area.status_code == 400 or codes(other_area) == set()
        assert codes(by_code) == {"KGB0001"}

    def test_it_refuses_a_subdistrict_official_any_write(self, api_client, wangjing_official, kg_a, classes):
        api_client.force_authenticate(wangjing_official)

        created = api_client.post("/api/classes/", {**NEW_CLASS, "kindergarten": kg_a.pk}, format="json")
        updated = api_client.patch(f"/api/classes/{classes[kg_a].pk}/", {"enrolled": 1}, format="json")

        assert created.status_code == 400
        assert updated.status_code == 404

    def test_it_rejects_a_duplicate_class_name(self, api_client, director_a, kg_a, classes):
        api_client.force_authenticate(director_a)

        response = api_client.post(
            "/api/classes/", {**NEW_CLASS, "name": "小一班", "kindergarten": kg_a.pk}, format="json"
        )

        assert response.status_code == 400


@pytest.mark.django_db
class TestEnrollmentByAge:
    def test_it_lets_only_the_bureau_record_official_children_by_age(
        self, api_client, director_a, bureau_official, kg_a, year
    ):
        row = {"kindergarten": kg_a.pk, "school_year": 2026, "age": 4, "children": 30}
        api_client.force_authenticate(director_a)
        by_director = api_client.post("/api/enrollment/", row, format="json")
        api_client.force_authenticate(bureau_official)
        by_bureau = api_client.post("/api/enrollment/", row, format="json")
        bad_age = api_client.post("/api/enrollment/", {**row, "age": 7}, format="json")

        assert by_director.status_code == 403
        assert by_bureau.status_code == 201
        assert bad_age.status_code == 400
        assert list(EnrollmentByAge.objects.values_list("kindergarten", "age", "children")) == [(kg_a.pk, 4, 30)]

    def test_it_scopes_reads(self, api_client, director_a, kg_a, kg_b, year):
        EnrollmentByAgeFactory(kindergarten=kg_a, school_year=year)
        hidden = EnrollmentByAgeFactory(kindergarten=kg_b, school_year=year)
        api_client.force_authenticate(director_a)

        assert codes(api_client.get("/api/enrollment/")) == {"KGA0001"}
        assert api_client.get(f"/api/enrollment/{hidden.pk}/").status_code == 404


@pytest.mark.django_db
class TestSubmissionsAndYears:
    def test_it_lists_submissions_in_scope_read_only(self, api_client, wangjing_official, kg_a, kg_c, year):
        SubmissionFactory(kindergarten=kg_a, school_year=year, submitted=True)
        SubmissionFactory(kindergarten=kg_c, school_year=year)
        api_client.force_authenticate(wangjing_official)

        response = api_client.get("/api/submissions/", {"school_year": 2026, "status": "submitted"})

        assert codes(response) == {"KGA0001"}
        assert api_client.patch(f"/api/submissions/{response.json()['results'][0]['id']}/", {}).status_code == 405
        refused = api_client.post(
            "/api/submissions/",
            {"kindergarten": kg_a.pk, "school_year": 2026, "classes": [], "children_by_age": {}},
            format="json",
        )
        assert refused.status_code == 400
        assert "kindergarten" in refused.json()

    def test_it_lets_everyone_read_school_years_and_only_the_bureau_manage_them(
        self, api_client, director_a, bureau_official, year
    ):
        api_client.force_authenticate(director_a)
        assert api_client.get("/api/school-years/2026/").json()["label"] == "2026-2027"
        assert api_client.post("/api/school-years/", {"start_year": 2027}, format="json").status_code == 403
        assert api_client.post("/api/school-years/2026/lock/").status_code == 403

        api_client.force_authenticate(bureau_official)
        assert api_client.post("/api/school-years/", {"start_year": 2027}, format="json").status_code == 201
        locked = api_client.post("/api/school-years/2026/lock/")
        assert locked.status_code == 200 and locked.json()["locked"] is True


@pytest.mark.django_db
class TestPopulation:
    def test_it_shows_a_subdistrict_official_only_their_area(self, api_client, wangjing_official, wangjing, shuangjing):
        ChildPopulationFactory(subdistrict=wangjing)
        hidden = ChildPopulationFactory(subdistrict=shuangjing)
        api_client.force_authenticate(wangjing_official)

        response = api_client.get("/api/population/")

        assert [row["subdistrict_name"] for row in response.json()["results"]] == ["望京"]
        assert api_client.get(f"/api/population/{hidden.pk}/").status_code == 404

    def test_it_lets_only_the_bureau_write(self, api_client, wangjing_official, bureau_official, wangjing):
        row = ChildPopulationFactory(subdistrict=wangjing)
        payload = {"subdistrict": wangjing.pk, "year": 2025, "age": 3, "children": 900}

        api_client.force_authenticate(wangjing_official)
        assert api_client.post("/api/population/", payload, format="json").status_code == 403
        assert api_client.patch(f"/api/population/{row.pk}/", {"children": 1}, format="json").status_code == 404

        api_client.force_authenticate(bureau_official)
        created = api_client.post("/api/population/", payload, format="json")
        assert created.status_code == 201, created.json()
        assert created.json()["basis"] == "resident"
        assert ChildPopulation.objects.get(year=2025).history.get().history_user == bureau_official
        assert api_client.post("/api/population/", {**payload, "age": 9}, format="json").status_code == 400

    def test_it_filters_population_by_year_range(self, api_client, bureau_official, wangjing):
        for year in (2019, 2022, 2026):
            ChildPopulationFactory(subdistrict=wangjing, year=year)
        api_client.force_authenticate(bureau_official)

        response = api_client.get("/api/population/", {"year_from": 2020, "year_to": 2025})

        assert [row["year"] for row in response.json()["results"]] == [2022]
