"""The scorecard's two late items: village centre kindergartens (an indicator of the registry,
computed in the database per scope) and the evaluation coverage of the three-year cycle (an
indicator another app registers; until it has snapshots the item is "no data" and scores nothing).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from kindergartens.choices import LicenceStatus, SponsorType, SubdistrictKind
from kindergartens.indicators import VILLAGE_CENTRE_MISSING
from kindergartens.models import Subdistrict
from reports.choices import ScopeType
from reports.indicators import compute_indicators_for
from reports.models import IndicatorSnapshot, Scorecard, ScorecardMethod, Target
from reports.scorecards import compute_scorecards, method_for
from tests.factories import KindergartenFactory, subdistrict

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 10, 1)


def village_values(day=DAY):
    return {
        (v.scope_type, v.scope_key): v for v in compute_indicators_for(day) if v.indicator == VILLAGE_CENTRE_MISSING
    }


def test_it_counts_the_area_offices_without_a_licensed_public_village_centre(db):
    areas = Subdistrict.objects.filter(kind=SubdistrictKind.AREA)
    assert areas.count() == 19
    jinzhan, sunhe, heizhuanghu = subdistrict("金盏"), subdistrict("孙河"), subdistrict("黑庄户")
    KindergartenFactory(subdistrict=jinzhan, is_village_centre=True, sponsor_type=SponsorType.VILLAGE_COLLECTIVE)
    # Neither counts: a private "centre" and an unlicensed one.
    KindergartenFactory(subdistrict=sunhe, is_village_centre=True, sponsor_type=SponsorType.PRIVATE_NONPROFIT)
    KindergartenFactory(subdistrict=heizhuanghu, is_village_centre=True, licence_status=LicenceStatus.UNLICENSED)
    KindergartenFactory(subdistrict=subdistrict("望京"), is_village_centre=True)  # a street's: not counted
    values = village_values()
    assert values[(ScopeType.DISTRICT, "district")].numerator == 18
    assert values[(ScopeType.SUBDISTRICT, jinzhan.code)].value == 0
    assert values[(ScopeType.SUBDISTRICT, sunhe.code)].value == 1
    assert values[(ScopeType.SUBDISTRICT, heizhuanghu.code)].value == 1
    assert values[(ScopeType.SUBDISTRICT, subdistrict("望京").code)].value is None  # a street: no data
    assert not any(key[0] == ScopeType.OWNERSHIP for key in values)


def test_the_new_method_version_holds_both_items_as_data(db):
    old = method_for(datetime.date(2026, 3, 1))
    new = method_for(DAY)
    assert old.valid_to == datetime.date(2026, 8, 31)
    assert new.valid_from == datetime.date(2026, 9, 1)
    items = {item["indicator"]: item for item in new.items}
    assert items["village_centre_missing"] == {
        "indicator": "village_centre_missing",
        "weight": 10,
        "direction": "lower",
        "rule": "count_to_cap",
        "target": 0,
        "cap": 1,
    }
    assert items["evaluation_coverage"]["rule"] == "ratio_to_target"
    assert sum(item["weight"] for item in new.items) == 100
    new.full_clean()  # the items pass the method's own checks
    assert Target.objects.filter(indicator="village_centre_missing", authority="chaoyang").exists()


def test_an_item_whose_indicator_has_no_snapshot_shows_no_data_and_scores_nothing(db):
    """Only village_centre_missing and a count have snapshots; evaluation_coverage has none at all."""
    jinzhan, wangjing = subdistrict("金盏"), subdistrict("望京")
    assert not IndicatorSnapshot.objects.filter(indicator="evaluation_coverage").exists()
    for area, figures in ((jinzhan, {"village_centre_missing": 1, "hazards_overdue": 0}), (wangjing, {})):
        for code, value in {**figures, "hazards_overdue": 5}.items():
            IndicatorSnapshot.objects.create(
                date=DAY,
                scope_type=ScopeType.SUBDISTRICT,
                scope_key=area.code,
                subdistrict=area,
                indicator=code,
                numerator=Decimal(value),
                value=Decimal(value),
            )
    compute_scorecards(year=2026)
    cards = {c.subdistrict.name: c for c in Scorecard.objects.filter(year=2026).select_related("subdistrict")}
    jin = {item["indicator"]: item for item in cards["金盏"].items}
    assert jin["evaluation_coverage"]["points"] is None and jin["evaluation_coverage"]["lost"] is None
    assert jin["village_centre_missing"]["points"] == "0.00"  # missing: loses all 10
    assert jin["hazards_overdue"]["points"] == "5.00"  # 5 overdue of a cap of 10
    # 5 points of the 20 the two items with data weigh; the rest (no data) counts neither way.
    assert cards["金盏"].score == Decimal("25.00")
    wang = {item["indicator"]: item for item in cards["望京"].items}
    assert wang["village_centre_missing"]["points"] is None  # no snapshot for the street
    assert cards["望京"].score == Decimal("50.00")
    assert cards["望京"].method == ScorecardMethod.objects.get(valid_from=datetime.date(2026, 9, 1))
