"""`/api/evaluation-results/`: published results only, scoped like external evaluations, read only."""

import pytest

from tests.helpers import assert_api_scope

pytestmark = pytest.mark.django_db

URL = "/api/evaluation-results/"


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("bureau_admin", "ABDE"),
        ("bureau_official", "ABDE"),
        ("wangjing_official", "ABE"),
        ("director_a", "A"),
        ("director_b", "B"),
        ("inspector", "B"),
    ],
)
def test_it_lists_published_results_in_scope(api_client, world, personas, persona, visible):
    ids = {letter: e.pk for letter, e in world.evaluations.items()}
    expected = [ids[letter] for letter in visible]
    hidden = [pk for letter, pk in ids.items() if letter not in visible]  # C (submitted) for everybody
    assert_api_scope(api_client, personas[persona], URL, expected, hidden_ids=hidden)


def test_it_gives_the_result_with_kindergarten_facts_and_issue_counts(api_client, world, bureau_official):
    api_client.force_authenticate(user=bureau_official)
    data = api_client.get(f"{URL}{world.evaluations['B'].pk}/").json()
    assert data["kindergarten_code"] == "KGB0001" and data["subdistrict_name"] == "望京"
    assert (data["grade"], data["grade_display"], data["ownership"]) == ("qualified", "合格", "public")
    assert data["cycle_name"] == world.cycle.name
    assert (data["open_issues"], data["overdue_issues"]) == (2, 2)


def test_it_filters_by_grade_ownership_and_subdistrict(api_client, world, bureau_official, shuangjing):
    api_client.force_authenticate(user=bureau_official)

    def codes(query: str) -> set[str]:
        return {row["kindergarten_code"] for row in api_client.get(f"{URL}?{query}").json()["results"]}

    assert codes("grade=unqualified") == {"KGE0001"}
    assert codes("ownership=private") == {"KGD0001", "KGE0001"}
    assert codes(f"subdistrict={shuangjing.pk}") == {"KGD0001"}
    assert codes(f"cycle={world.cycle.pk}") == {"KGA0001", "KGB0001", "KGD0001", "KGE0001"}


def test_it_is_read_only_and_needs_a_login(api_client, world, bureau_official):
    assert api_client.get(URL).status_code in (401, 403)
    api_client.force_authenticate(user=bureau_official)
    assert api_client.post(URL, {}, format="json").status_code == 405
    assert api_client.delete(f"{URL}{world.evaluations['A'].pk}/").status_code == 405
