"""Resident child population: entry by the bureau, reading scoped to the user's area."""

import pytest
from django.urls import reverse

from enrollment.models import ChildPopulation
from tests.conftest import client_for

from .factories import ChildPopulationFactory


def grid(**ages) -> dict:
    data = {"basis": "resident"}
    data.update({f"age_{age}": ages.get(f"a{age}", 100 + age) for age in range(7)})
    return data


@pytest.mark.django_db
class TestPopulation:
    def test_it_lets_the_bureau_enter_a_subdistricts_year(self, client, bureau_official, wangjing):
        url = reverse("enrollment:population_edit", args=[wangjing.pk, 2026])

        response = client_for(client, bureau_official).post(url, grid())

        assert response.status_code == 302
        rows = ChildPopulation.objects.filter(subdistrict=wangjing, year=2026)
        assert dict(rows.values_list("age", "children")) == {age: 100 + age for age in range(7)}
        assert rows.get(age=3).history.get().history_user == bureau_official

    def test_it_changes_only_the_ages_that_changed(self, client, bureau_official, wangjing):
        url = reverse("enrollment:population_edit", args=[wangjing.pk, 2026])
        client_for(client, bureau_official).post(url, grid())

        client.post(url, grid(a3=555))

        assert ChildPopulation.objects.get(subdistrict=wangjing, year=2026, age=3).children == 555
        assert ChildPopulation.history.filter(history_type="~").count() == 1

    def test_it_rejects_negative_or_missing_counts(self, client, bureau_official, wangjing):
        url = reverse("enrollment:population_edit", args=[wangjing.pk, 2026])
        data = grid(a2=-1)
        del data["age_5"]

        response = client_for(client, bureau_official).post(url, data)

        assert set(response.context["form"].errors) == {"age_2", "age_5"}
        assert not ChildPopulation.objects.exists()

    def test_it_shows_a_subdistrict_official_only_their_area(self, client, wangjing_official, wangjing, shuangjing):
        ChildPopulationFactory(subdistrict=wangjing, age=3, children=1200)
        ChildPopulationFactory(subdistrict=shuangjing, age=3, children=800)

        response = client_for(client, wangjing_official).get(reverse("enrollment:population_list"), {"year": 2026})

        assert [r["subdistrict"].name for r in response.context["rows"]] == ["望京"]
        assert response.context["totals"]["cohort"] == 1200
        assert "800" not in response.content.decode()

    def test_it_shows_the_bureau_every_subdistrict_with_the_3_to_5_cohort(self, client, bureau_official, wangjing):
        for age, children in ((2, 10), (3, 100), (4, 200), (5, 300), (6, 1000)):
            ChildPopulationFactory(subdistrict=wangjing, age=age, children=children)

        response = client_for(client, bureau_official).get(reverse("enrollment:population_list"))

        rows = {r["subdistrict"].name: r for r in response.context["rows"]}
        assert len(rows) == 43
        assert rows["望京"]["cohort"] == 600
        assert rows["双井"]["total"] is None
        assert response.context["missing"] == 42

    def test_it_keeps_population_entry_for_the_bureau(self, client, wangjing_official, director_a, wangjing):
        url = reverse("enrollment:population_edit", args=[wangjing.pk, 2026])
        for user in (wangjing_official, director_a):
            assert client_for(client, user).post(url, grid()).status_code == 403
        assert not ChildPopulation.objects.exists()
