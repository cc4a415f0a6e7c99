"""The one scoping mechanism, tested on the registry; other resources use `tests.helpers`."""

import pytest

from kindergartens.models import Kindergarten, Subdistrict

# What each persona may see of the three kindergartens (A, B in 望京; C in 双井).
EXPECTED_VIEW = {
    "bureau_admin": {"A", "B", "C"},
    "bureau_official": {"A", "B", "C"},
    "wangjing_official": {"A", "B"},
    "director_a": {"A"},
    "director_b": {"B"},
    "inspector": {"B", "C"},
}
EXPECTED_CHANGE = {
    "bureau_admin": {"A", "B", "C"},
    "bureau_official": {"A", "B", "C"},
    "wangjing_official": set(),
    "director_a": {"A"},
    "director_b": {"B"},
    "inspector": set(),
}


def letters(queryset) -> set[str]:
    return {k.code[2] for k in queryset}


@pytest.mark.parametrize("persona", EXPECTED_VIEW)
def test_it_shows_each_role_exactly_its_kindergartens(personas, kindergartens, persona):
    assert letters(Kindergarten.objects.visible_to(personas[persona])) == EXPECTED_VIEW[persona]


@pytest.mark.parametrize("persona", EXPECTED_CHANGE)
def test_it_lets_each_role_change_exactly_its_kindergartens(personas, kindergartens, persona):
    assert letters(Kindergarten.objects.restrict(personas[persona], "change")) == EXPECTED_CHANGE[persona]


def test_it_shows_anonymous_and_inactive_users_nothing(kindergartens, bureau_official):
    from django.contrib.auth.models import AnonymousUser

    assert not Kindergarten.objects.visible_to(AnonymousUser()).exists()
    assert not Kindergarten.objects.visible_to(None).exists()
    bureau_official.is_active = False
    assert not Kindergarten.objects.visible_to(bureau_official).exists()


def test_it_limits_subdistricts_to_the_users_area(personas, kindergartens):
    names = lambda user: set(Subdistrict.objects.visible_to(user).values_list("name", flat=True))  # noqa: E731
    assert len(names(personas["bureau_official"])) == 43
    assert names(personas["wangjing_official"]) == {"望京"}
    assert names(personas["director_a"]) == {"望京"}
    assert names(personas["inspector"]) == {"望京", "双井"}
    assert not Subdistrict.objects.restrict(personas["wangjing_official"], "change").exists()
