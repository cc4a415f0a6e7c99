"""The sub-district scorecard on a hand-computed case.

Method (valid from 2025-09-01; weights 40 / 20 / 20 / 20 / 10):

| item | rule |
|---|---|
| gross_enrollment_rate (40) | min(value ÷ snapshot target 0.9, 1) |
| inclusive_coverage (20) | min(value ÷ 0.8, 1) (the method's own target) |
| hazards_overdue (20) | 0 → full, else max(0, 1 − value ÷ 10) |
| estate_not_in_place (20) | 0 → full, else max(0, 1 − value ÷ 5) |
| village_centre_coverage (10) | no snapshot anywhere → no data |

Snapshots of 2026-03-01 (the latest date of school year 2025; an older 2025-10-01 row is ignored):

| | gross | inclusive | hazards | estate | points | score | rank |
|---|---|---|---|---|---|---|---|
| 望京 | 0.99 → 40 | 0.60 → 15 | 2 → 16 | 0 → 20 | 91 / 100 | 91.00 | 1 |
| 双井 | 0.81 → 36 | 0.80 → 20 | 0 → 20 | 5 → 0 | 76 / 100 | 76.00 | 2 |
| 劲松 | 0.90 → 40 | 0.80 → 20 | 4 → 12 | 4 → 4 | 76 / 100 | 76.00 | 2 (tie) |
| 垡头 | no value | — | 3 → 14 | — | 14 / 20 | 70.00 | 4 |

望京 scored 80.00 in school year 2024: trend +11.00.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kindergartens.models import Subdistrict
from reports import scorecards as scorecards_module
from reports.choices import ScopeType, ScorecardStatus
from reports.models import IndicatorSnapshot, Scorecard, ScorecardMethod
from reports.scorecards import competition_ranks, compute_scorecards, scorecards_publish, statistical_date
from reports.services import compute_indicators
from tests.conftest import client_for
from tests.factories import subdistrict

from .conftest import DAY as DISTRICT_DAY

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)
YEAR = 2025
LIST = reverse("scorecards:scorecard_list")
API = "/api/scorecards/"
ITEMS = [
    {"indicator": "gross_enrollment_rate", "weight": 40, "direction": "higher", "rule": "ratio_to_target"},
    {"indicator": "inclusive_coverage", "weight": 20, "direction": "higher", "rule": "ratio_to_target", "target": 0.8},
    {
        "indicator": "hazards_overdue",
        "weight": 20,
        "direction": "lower",
        "rule": "count_to_cap",
        "target": 0,
        "cap": 10,
    },
    {"indicator": "estate_not_in_place", "weight": 20, "direction": "lower", "rule": "count_to_cap", "cap": 5},
    {"indicator": "village_centre_coverage", "weight": 10, "direction": "lower", "rule": "count_to_cap", "cap": 5},
]
FIGURES = {
    "望京": {
        "gross_enrollment_rate": "0.99",
        "inclusive_coverage": "0.60",
        "hazards_overdue": 2,
        "estate_not_in_place": 0,
    },
    "双井": {
        "gross_enrollment_rate": "0.81",
        "inclusive_coverage": "0.80",
        "hazards_overdue": 0,
        "estate_not_in_place": 5,
    },
    "劲松": {
        "gross_enrollment_rate": "0.90",
        "inclusive_coverage": "0.80",
        "hazards_overdue": 4,
        "estate_not_in_place": 4,
    },
    "垡头": {"gross_enrollment_rate": None, "hazards_overdue": 3},
}


def snapshot(day, area, code, value) -> IndicatorSnapshot:
    return IndicatorSnapshot.objects.create(
        date=day,
        scope_type=ScopeType.SUBDISTRICT,
        scope_key=area.code,
        subdistrict=area,
        indicator=code,
        numerator=Decimal(value or 0),
        value=None if value is None else Decimal(str(value)),
        target=Decimal("0.9") if code == "gross_enrollment_rate" else None,
    )


@pytest.fixture
def method(db):
    return ScorecardMethod.objects.create(name="测试办法", valid_from=datetime.date(2025, 9, 1), items=ITEMS)


@pytest.fixture
def cards(method, wangjing):
    for name, figures in FIGURES.items():
        area = subdistrict(name)
        for code, value in figures.items():
            snapshot(DAY, area, code, value)
        snapshot(datetime.date(2025, 10, 1), area, "hazards_overdue", 99)  # an older date of the year
    Scorecard.objects.create(
        year=YEAR - 1, subdistrict=wangjing, method=method, date=datetime.date(2025, 3, 1), score=Decimal("80")
    )
    compute_scorecards(year=YEAR)
    return {c.subdistrict.name: c for c in Scorecard.objects.filter(year=YEAR).select_related("subdistrict")}


def points(card: Scorecard) -> dict[str, str | None]:
    return {item["indicator"]: item["points"] for item in card.items}


def test_it_uses_the_latest_snapshot_date_of_the_school_year(cards):
    assert statistical_date(YEAR) == DAY
    assert {c.date for c in cards.values()} == {DAY}


def test_it_scores_every_item_kind_as_computed_by_hand(cards):
    assert points(cards["望京"]) == {
        "gross_enrollment_rate": "40.00",
        "inclusive_coverage": "15.00",
        "hazards_overdue": "16.00",
        "estate_not_in_place": "20.00",
        "village_centre_coverage": None,
    }
    assert points(cards["双井"])["estate_not_in_place"] == "0.00"
    assert points(cards["劲松"])["hazards_overdue"] == "12.00"
    assert {name: c.score for name, c in cards.items()} == {
        "望京": Decimal("91.00"),
        "双井": Decimal("76.00"),
        "劲松": Decimal("76.00"),
        "垡头": Decimal("70.00"),
    }


def test_it_gives_equal_scores_the_same_rank_and_skips_the_next(cards):
    assert {name: c.rank for name, c in cards.items()} == {"望京": 1, "双井": 2, "劲松": 2, "垡头": 4}
    assert competition_ranks({"a": Decimal(5), "b": None, "c": Decimal(5)}) == {"a": 1, "b": None, "c": 1}


def test_it_leaves_items_without_data_out_of_the_score(cards):
    fatou = {item["indicator"]: item for item in cards["垡头"].items}
    assert fatou["gross_enrollment_rate"]["points"] is None  # a snapshot without a value
    assert fatou["estate_not_in_place"]["points"] is None  # no snapshot at all
    assert fatou["hazards_overdue"]["points"] == "14.00"
    assert fatou["hazards_overdue"]["lost"] == "6.00"


def test_it_keeps_last_years_score_for_the_trend(cards):
    assert cards["望京"].previous_score == Decimal("80.00")
    assert cards["望京"].trend == Decimal("11.00")
    assert cards["双井"].trend is None


def test_it_rejects_a_method_whose_items_do_not_add_up(db):
    bad = ScorecardMethod(
        name="x",
        valid_from=datetime.date(2025, 9, 1),
        items=[{"indicator": "a", "weight": 0, "direction": "higher", "rule": "count_to_cap", "cap": 0}],
    )
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert len(error.value.message_dict["items"]) == 3  # weight, direction, cap


def test_it_publishes_a_year_and_then_stops_recomputing_it(cards, bureau_official, wangjing_official):
    with pytest.raises(PermissionDenied):
        scorecards_publish(year=YEAR, user=wangjing_official)
    assert scorecards_publish(year=YEAR, user=bureau_official) == 4
    assert set(Scorecard.objects.filter(year=YEAR).values_list("status", flat=True)) == {ScorecardStatus.PUBLISHED}
    IndicatorSnapshot.objects.filter(indicator="estate_not_in_place").update(value=0)
    assert compute_scorecards(year=YEAR) == 0
    assert Scorecard.objects.get(year=YEAR, subdistrict__name="双井").score == Decimal("76.00")
    with pytest.raises(ValidationError):
        scorecards_publish(year=YEAR, user=bureau_official)


def test_it_shows_the_bureau_the_ranking_and_publishes_from_the_page(client, cards, bureau_official):
    client_for(client, bureau_official)
    page = client.get(f"{LIST}?sort=-score")
    assert [c.subdistrict.name for c in page.context["cards"]][:1] == ["望京"]
    html = page.content.decode()
    assert "发布本学年考核结果" in html and "min(实际值 ÷ 目标值 80%, 1)" in html
    client.post(reverse("scorecards:scorecard_publish", args=[YEAR]))
    assert not Scorecard.objects.filter(year=YEAR, status=ScorecardStatus.DRAFT).exists()


def test_it_hides_unpublished_cards_from_a_subdistrict_official(client, api_client, cards, wangjing_official):
    client_for(client, wangjing_official)
    detail = reverse("scorecards:scorecard_detail", args=[YEAR, cards["望京"].subdistrict_id])
    assert client.get(detail).status_code == 404
    assert "尚未发布" in client.get(LIST).content.decode()
    api_client.force_authenticate(wangjing_official)
    assert api_client.get(API).json()["results"] == []


def test_it_shows_an_official_their_own_card_and_where_it_loses_points(
    client, api_client, cards, bureau_official, wangjing_official
):
    scorecards_publish(year=YEAR, user=bureau_official)
    client_for(client, wangjing_official)
    page = client.get(LIST)
    assert page.context["card"].subdistrict.name == "望京"
    assert [row.item.indicator for row in page.context["losing"]] == ["inclusive_coverage", "hazards_overdue"]
    html = page.content.decode()
    assert "失 5.00 分" in html and "无数据" in html
    other = reverse("scorecards:scorecard_detail", args=[YEAR, cards["双井"].subdistrict_id])
    assert client.get(other).status_code == 404
    api_client.force_authenticate(wangjing_official)
    assert [c["subdistrict_name"] for c in api_client.get(API).json()["results"]] == ["望京"]
    assert api_client.get(f"{API}{cards['双井'].pk}/").status_code == 404


def test_it_keeps_the_scorecards_from_directors(client, cards, director_a):
    assert client_for(client, director_a).get(LIST).status_code == 403


def test_it_gives_the_bureau_every_card_through_the_api(api_client, cards, bureau_official):
    api_client.force_authenticate(bureau_official)
    results = api_client.get(f"{API}?year={YEAR}").json()["results"]
    assert {c["subdistrict_name"]: c["rank"] for c in results} == {"望京": 1, "双井": 2, "劲松": 2, "垡头": 4}
    wangjing = next(c for c in results if c["subdistrict_name"] == "望京")
    assert wangjing["trend"] == "11.00"
    assert {i["indicator"]: i["points"] for i in wangjing["items"]}["village_centre_coverage"] is None


def test_it_exports_the_years_ranking(client, cards, bureau_official):
    response = client_for(client, bureau_official).get(f"{reverse('scorecards:scorecard_export')}?year={YEAR}")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert [(r["街道/地区"], r["排名"]) for r in rows] == [("望京", 1), ("双井", 2), ("劲松", 2), ("垡头", 4)]
    assert rows[0]["得分"] == 91


def test_it_computes_the_cards_from_the_command_and_the_nightly_job(method, db):
    compute_indicators(date=DAY)
    assert Scorecard.objects.filter(year=YEAR).count() == 43  # every sub-district has snapshots
    Scorecard.objects.all().delete()
    call_command("compute_scorecards", "--year", str(YEAR), stdout=io.StringIO())
    assert Scorecard.objects.filter(year=YEAR, status=ScorecardStatus.DRAFT).count() == 43


def test_it_keeps_the_rankings_query_count_flat(client, cards, bureau_official):
    client_for(client, bureau_official)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{LIST}?sort=-score").status_code == 200
        return len(captured)

    before = queries()
    for name in ("建外", "朝外", "呼家楼", "三里屯", "左家庄", "香河园", "和平街", "安贞"):
        snapshot(DAY, subdistrict(name), "hazards_overdue", 1)
    compute_scorecards(year=YEAR)
    assert Scorecard.objects.filter(year=YEAR).count() == 12
    assert queries() == before


def card_rows(year: int) -> list[tuple]:
    return list(
        Scorecard.objects.filter(year=year)
        .order_by("subdistrict_id")
        .values_list("subdistrict_id", "date", "items", "score", "rank", "status")
    )


@pytest.fixture
def reads_of_snapshots(monkeypatch) -> list:
    """The times cards are scored from stored snapshots (`reports.scorecards._score_stored`)."""
    reads, real = [], scorecards_module._score_stored
    monkeypatch.setattr(scorecards_module, "_score_stored", lambda *args: reads.append(args) or real(*args))
    return reads


def test_the_nightly_job_scores_the_cards_from_the_values_it_writes(district, method, reads_of_snapshots):
    """The cards scored from the values while they are written (`CardScorer.tap`) are, to the
    digit, those computed again from the stored snapshots (ratios, counts, targets, no data)."""
    compute_indicators(date=DISTRICT_DAY)
    assert reads_of_snapshots == []  # not read back
    nightly = card_rows(YEAR)
    assert len(nightly) == Subdistrict.objects.count()
    wangjing = next(items for sub, _date, items, *_ in nightly if sub == district.wangjing.pk)
    assert {i["indicator"]: i["value"] for i in wangjing} == {
        "gross_enrollment_rate": "0.436666",  # 131 children in the target classes of 300 aged 3–5
        "inclusive_coverage": "0.809160",  # 106 of the 131 in inclusive kindergartens
        "hazards_overdue": "0.000000",
        "estate_not_in_place": "0.000000",
        "village_centre_coverage": None,  # an indicator without sub-district snapshots: no data
    }
    assert compute_scorecards(year=YEAR) == len(nightly)  # from the snapshots
    assert len(reads_of_snapshots) == 1
    assert card_rows(YEAR) == nightly


def test_the_nightly_job_reads_the_snapshots_when_its_date_is_not_the_years_latest(
    district, method, reads_of_snapshots
):
    compute_indicators(date=DISTRICT_DAY)
    later = card_rows(YEAR)
    compute_indicators(date=DISTRICT_DAY - datetime.timedelta(days=10))  # an earlier date of the year
    assert len(reads_of_snapshots) == 1
    assert card_rows(YEAR) == later  # still the cards of the statistical date
