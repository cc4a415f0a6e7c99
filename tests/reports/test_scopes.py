"""`reports.scopes.GroupSums`: group rows summed per scope, by Python and by the database alike."""

import pytest
from django.db.models import Count, Q, Sum

from kindergartens.choices import SponsorType
from kindergartens.models import Kindergarten
from reports.scopes import GroupSums, Scope
from tests.factories import KindergartenFactory, subdistrict

pytestmark = pytest.mark.django_db

PRIVATE = SponsorType.PRIVATE_NONPROFIT


@pytest.fixture
def kindergartens():
    wangjing, shuangjing = subdistrict("望京"), subdistrict("双井")
    KindergartenFactory(subdistrict=wangjing, approved_capacity=300)
    KindergartenFactory(subdistrict=wangjing, approved_capacity=0)
    KindergartenFactory(subdistrict=wangjing, sponsor_type=PRIVATE, approved_capacity=120)
    KindergartenFactory(subdistrict=shuangjing, sponsor_type=PRIVATE, approved_capacity=90)
    return wangjing, shuangjing


def grouped(queryset=None):
    """Per (sub-district, sponsor type): how many, their seats, how many with seats."""
    return (
        (queryset if queryset is not None else Kindergarten.objects.all())
        .values("subdistrict", "sponsor_type")
        .annotate(n=Count("pk"), seats=Sum("approved_capacity"), seated=Count("pk", filter=Q(approved_capacity__gt=0)))
        .values_list("subdistrict", "sponsor_type", "n", "seats", "seated")
        .order_by()
    )


def test_the_database_adds_up_what_python_adds_up(kindergartens):
    wangjing, shuangjing = kindergartens
    by_python = GroupSums((((s, t), figures) for s, t, *figures in grouped()), 3)
    by_database = GroupSums.in_database(grouped(), 3)
    scopes = [
        Scope.district(),
        Scope.of_subdistrict(wangjing),
        Scope.of_subdistrict(shuangjing),
        *(Scope.of_sponsor_type(t) for t in SponsorType.values),
    ]
    for scope in scopes:
        assert list(by_database.of(scope)) == list(by_python.of(scope)), scope
    assert list(by_database.of(Scope.district())) == [4, 510, 3]
    assert list(by_database.of(Scope.of_subdistrict(wangjing))) == [3, 420, 2]
    assert list(by_database.of(Scope.of_sponsor_type(PRIVATE))) == [2, 210, 2]
    assert all(type(n) is int for n in by_database.of(Scope.district()))


def test_a_scope_without_rows_has_zeros(kindergartens):
    wangjing, _shuangjing = kindergartens
    sums = GroupSums.in_database(grouped(Kindergarten.objects.filter(subdistrict=wangjing)), 3)
    assert list(sums.of(Scope.of_subdistrict(subdistrict("潘家园")))) == [0, 0, 0]
    assert list(sums.of(Scope.of_sponsor_type(SponsorType.ARMY))) == [0, 0, 0]


def test_no_rows_at_all_and_a_filter_nothing_matches_give_zeros(db):
    assert list(GroupSums.in_database(grouped(), 3).of(Scope.district())) == [0, 0, 0]
    empty = GroupSums.in_database(grouped(Kindergarten.objects.filter(pk__in=[])), 3)
    assert list(empty.of(Scope.district())) == [0, 0, 0]


def test_sums_of_expressions_over_the_figures(kindergartens):
    wangjing, _shuangjing = kindergartens
    # n0 how many, n1 their seats, n2 how many with seats: seats of the groups all seated, and a count.
    sums = GroupSums.in_database(grouped(), 3, sums=("CASE WHEN n0 = n2 THEN n1 ELSE 0 END", "n0"))
    assert list(sums.of(Scope.district())) == [210, 4]
    assert list(sums.of(Scope.of_subdistrict(wangjing))) == [120, 3]


def test_a_scope_unpickled_hashes_as_one_built_here():
    """Scopes cache their hash; a pickled one (a cached dashboard, maybe from another process,
    where strings hash differently) is rebuilt from its fields, so it is found in dicts here."""
    import pickle

    from reports.choices import ScopeType

    scope = Scope(ScopeType.SUBDISTRICT, "110105001", "望京", 7)
    object.__setattr__(scope, "_hash", 0)  # what another process's hash would look like here
    again = pickle.loads(pickle.dumps(scope))
    assert again == scope and hash(again) == hash(Scope(ScopeType.SUBDISTRICT, "110105001", "望京", 7))
    assert {Scope(ScopeType.SUBDISTRICT, "110105001", "望京", 7): "found"}[again] == "found"
