"""The ranking the nightly job stores (`reports.standings`) equals the one read from the snapshots.

The district dashboard ranks its sub-districts from `SubdistrictStanding` / `FigureStanding` rows
derived when the snapshots are written; these tests build awkward snapshots (ties, missing values,
missing figures, stored and unstored targets, overdue counts, missing reports) and check that every
answer of the stored ranking is the snapshot ranking's, and that a date without stored rows, or
whose targets changed since, is still ranked from the snapshots.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from accounts.scoping import SYSTEM
from kindergartens.models import Subdistrict
from reports import registry
from reports.choices import Authority, ScopeType
from reports.dashboard import build_dashboard, targets_in_force
from reports.models import FigureStanding, IndicatorSnapshot, SubdistrictStanding, Target
from reports.ranking import Ranking
from reports.standings import StoredRanking, write_standings

from .conftest import DAY
from .test_dashboard_table import GROSS, INCLUSIVE, PUBLIC, TODAY, snapshot
from .test_dashboard_table import district as subdistricts

OVERDUE = "hazards_overdue"
SORTS = ["", "worst", "name", "-name", "code", "-code", GROSS, f"-{GROSS}", INCLUSIVE, f"-{INCLUSIVE}", f"-{PUBLIC}"]


def awkward_district() -> list[Subdistrict]:
    subs = subdistricts(60)
    # Ties: equal gaps on several sub-districts, and equal shares.
    tied = subs[1:6]
    IndicatorSnapshot.objects.filter(subdistrict__in=tied, indicator=GROSS).update(numerator=850, value=Decimal("0.85"))
    # Missing values (no denominator), and a sub-district without one of its figures.
    IndicatorSnapshot.objects.filter(subdistrict=subs[7], indicator=PUBLIC).update(denominator=0, value=None)
    IndicatorSnapshot.objects.filter(subdistrict=subs[8], indicator=INCLUSIVE).update(value=None)
    IndicatorSnapshot.objects.filter(subdistrict=subs[9], indicator=GROSS).delete()
    # A stored national target and verdict, a stored Chaoyang target that is met despite the gap.
    IndicatorSnapshot.objects.filter(subdistrict=subs[10], indicator=PUBLIC).update(
        national_target=Decimal("0.5"), national_met=True
    )
    IndicatorSnapshot.objects.filter(subdistrict=subs[12], indicator=GROSS).update(target=Decimal("0.95"), met=True)
    # Missing reports (equal shares on two), overdue items (equal totals on two, and one on a
    # sub-district with no headline figure).
    for i, sub in enumerate(subs[20:28]):
        IndicatorSnapshot.objects.filter(subdistrict=sub).update(
            reports_expected=10, reports_received=min(i, 6), seats_expected=100, seats_reported=50, provisional=True
        )
    lone = Subdistrict.objects.create(code="800000001", name="只有逾期", kind=subs[0].kind)
    overdue = [snapshot(sub, OVERDUE, n, 0) for sub, n in zip(subs[30:38], [3, 0, 5, 5, 1, 2, 7, 3], strict=True)]
    overdue.append(snapshot(lone, OVERDUE, 9, 0))
    IndicatorSnapshot.objects.bulk_create(overdue)
    return subs


def both(day: datetime.date = TODAY) -> tuple[Ranking, StoredRanking]:
    targets = targets_in_force(day)
    headline = registry.headline_codes()
    live = Ranking(IndicatorSnapshot.objects.all(), day, targets, headline)
    return live, StoredRanking(day, targets, headline, Ranking(IndicatorSnapshot.objects.all(), day, targets, headline))


@pytest.mark.django_db
def test_the_stored_ranking_answers_as_the_snapshots_do():
    awkward_district()
    write_standings(TODAY)
    live, stored = both()
    assert stored.check() == live.totals()
    for sort in SORTS:
        for only_short in (False, True):
            expected, key = live.ordered(sort, only_short)
            found, stored_key = stored.ordered(sort, only_short)
            assert (list(found), stored_key) == (list(expected), key), (sort, only_short)
    for code in registry.headline_codes():
        assert stored.chart_picks(code) == live.chart_picks(code)
    assert stored.keys == live.keys
    assert stored.below_target() == live.below_target()
    assert stored.least_complete() == live.least_complete()
    assert stored.overdue() == live.overdue()
    assert len(stored.overdue()) == 5 and stored.overdue()[0][1] == "只有逾期"


@pytest.mark.django_db
def test_the_dashboard_shows_the_same_with_and_without_stored_rows():
    awkward_district()
    before = build_dashboard(user=SYSTEM, date=TODAY)
    write_standings(TODAY)
    after = build_dashboard(user=SYSTEM, date=TODAY)
    assert not before.stored_ranking and after.stored_ranking
    assert after.chart_data() == before.chart_data()
    assert after.attention == before.attention
    assert (after.row_count, after.shortfall_count) == (before.row_count, before.shortfall_count)


@pytest.mark.django_db
def test_stored_rows_of_other_targets_are_not_used():
    """A target changed after the date was computed: the page ranks from the snapshots again."""
    subdistricts(10)
    write_standings(TODAY)
    assert build_dashboard(user=SYSTEM, date=TODAY).stored_ranking
    target = Target.objects.in_force(TODAY).filter(indicator=GROSS, authority=Authority.CHAOYANG).first()
    Target.objects.filter(pk=target.pk).update(value=target.value + Decimal("0.01"))
    assert not build_dashboard(user=SYSTEM, date=TODAY).stored_ranking


@pytest.mark.django_db
def test_writing_a_date_again_replaces_its_rows():
    subs = subdistricts(10)
    write_standings(TODAY)
    IndicatorSnapshot.objects.filter(subdistrict=subs[0]).delete()
    write_standings(TODAY)
    assert SubdistrictStanding.objects.filter(date=TODAY).count() == 9
    # Three figures per sub-district, one of them without a snapshot where it is missing.
    assert FigureStanding.objects.filter(date=TODAY).count() == 27
    assert not FigureStanding.objects.filter(snapshot__isnull=True).exists()


@pytest.mark.django_db
def test_the_nightly_job_stores_the_ranking(district, fake_report):
    from reports.services import compute_indicators

    compute_indicators(date=DAY)
    live, stored = both(DAY)
    areas = IndicatorSnapshot.objects.filter(date=DAY, scope_type=ScopeType.SUBDISTRICT).values("subdistrict")
    assert SubdistrictStanding.objects.filter(date=DAY).count() == areas.distinct().count() > 0
    assert stored.check() == live.totals()
    for sort in SORTS:
        assert list(stored.ordered(sort)[0]) == list(live.ordered(sort)[0])
