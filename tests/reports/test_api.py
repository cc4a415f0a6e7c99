"""The engine's API: /api/indicators/, /api/forecasts/, /api/warnings/ and /api/runs/ — scoping and filters."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrollment.choices import ClassType, EnrollmentIndicator
from reports.choices import RunStatus, ScopeType, WarningKind
from reports.models import ComputationRun, EarlyWarning, IndicatorSnapshot, SeatForecast
from reports.services import compute_indicators
from tests.helpers import api_list_ids, assert_api_scope

from .conftest import DAY, add_classes, add_population, indicators_per

EARLIER = datetime.date(2025, 9, 15)
INDICATORS_URL = "/api/indicators/"

pytestmark = pytest.mark.usefixtures("fake_report")


@pytest.fixture
def computed(kg_a, kg_b, kg_c, wangjing, shuangjing):
    """Two dates computed. 望京 short of seats (population 1,000 per age); kg_c in 双井 far below capacity."""
    add_population(wangjing, 2025, dict.fromkeys(range(6), 1000))
    add_population(shuangjing, 2025, dict.fromkeys(range(6), 10))
    add_classes(kg_a, 2025, *[(ClassType.SMALL, 25)] * 8)
    add_classes(kg_c, 2025, (ClassType.SMALL, 20))
    for day in (EARLIER, DAY):
        assert compute_indicators(date=day).status == RunStatus.SUCCEEDED
    assert EarlyWarning.objects.filter(date=DAY, kind=WarningKind.SEAT_SHORTAGE, subdistrict=wangjing).exists()
    assert EarlyWarning.objects.filter(date=DAY, kind=WarningKind.UNDERUSED_INCLUSIVE, kindergarten=kg_c).exists()


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


class TestScoping:
    def test_it_shows_the_bureau_every_scope(self, api_client, computed, personas):
        rows = IndicatorSnapshot.objects.filter(date=DAY)
        assert_api_scope(api_client, personas["bureau_official"], f"{INDICATORS_URL}?date=2025-10-01", ids(rows))

    def test_it_shows_a_subdistrict_official_only_their_subdistrict(self, api_client, computed, personas, wangjing):
        rows = IndicatorSnapshot.objects.all()
        mine = rows.filter(subdistrict=wangjing)
        assert mine.count() == 2 * indicators_per(ScopeType.SUBDISTRICT)  # every indicator, on two dates
        assert_api_scope(
            api_client,
            personas["wangjing_official"],
            INDICATORS_URL,  # without a date: the latest date only
            ids(mine.filter(date=DAY)),
            hidden_ids=ids(rows.filter(scope_type__in=[ScopeType.DISTRICT, ScopeType.OWNERSHIP], date=DAY))
            | ids(rows.exclude(subdistrict=wangjing).filter(subdistrict__isnull=False)[:3]),
        )
        both_dates = f"{INDICATORS_URL}?date_after=2000-01-01"
        assert set(api_list_ids(api_client, personas["wangjing_official"], both_dates)) == ids(mine)

    @pytest.mark.parametrize("persona", ["director_a", "director_b"])
    def test_it_shows_a_director_no_other_subdistrict(self, api_client, computed, personas, wangjing, persona):
        rows = IndicatorSnapshot.objects.all()
        assert_api_scope(
            api_client,
            personas[persona],
            INDICATORS_URL,
            ids(rows.filter(subdistrict=wangjing, date=DAY)),
            hidden_ids=ids(rows.filter(scope_type=ScopeType.DISTRICT, date=DAY)),
        )

    def test_it_shows_an_inspector_the_subdistricts_of_their_kindergartens(
        self, api_client, computed, personas, wangjing, shuangjing
    ):
        rows = IndicatorSnapshot.objects.filter(date=DAY, subdistrict__in=[wangjing, shuangjing])
        assert_api_scope(api_client, personas["inspector"], f"{INDICATORS_URL}?date=2025-10-01", ids(rows))

    def test_it_scopes_forecasts_like_snapshots(self, api_client, computed, personas, wangjing, shuangjing):
        rows = SeatForecast.objects.all()
        url = "/api/forecasts/"
        assert_api_scope(api_client, personas["bureau_official"], url, ids(rows))
        assert_api_scope(
            api_client,
            personas["wangjing_official"],
            url,
            ids(rows.filter(subdistrict=wangjing)),
            hidden_ids=ids(rows.filter(subdistrict=shuangjing)),
        )
        assert_api_scope(api_client, personas["director_a"], url, ids(rows.filter(subdistrict=wangjing)))

    def test_it_scopes_warnings_to_subdistricts_and_kindergartens(self, api_client, computed, personas, wangjing, kg_c):
        rows = EarlyWarning.objects.all()
        url = "/api/warnings/"
        assert_api_scope(api_client, personas["bureau_official"], url, ids(rows))
        assert_api_scope(
            api_client,
            personas["wangjing_official"],
            url,
            ids(rows.filter(subdistrict=wangjing)),
            hidden_ids=ids(rows.filter(kindergarten=kg_c)),
        )
        # Warnings about a kindergarten reach its director and inspector; area-wide ones do not.
        assert_api_scope(api_client, personas["director_a"], url, set())
        assert_api_scope(api_client, personas["inspector"], url, ids(rows.filter(kindergarten=kg_c)))

    def test_it_shows_runs_to_the_bureau_only(self, api_client, computed, personas):
        assert_api_scope(api_client, personas["bureau_official"], "/api/runs/", ids(ComputationRun.objects.all()))
        for persona in ("wangjing_official", "director_a", "inspector"):
            api_client.force_authenticate(user=personas[persona])
            assert api_client.get("/api/runs/").status_code == 403
        api_client.force_authenticate(user=None)
        assert api_client.get(INDICATORS_URL).status_code in (401, 403)

    def test_it_is_read_only(self, api_client, computed, personas):
        api_client.force_authenticate(user=personas["bureau_admin"])
        snapshot = IndicatorSnapshot.objects.first()
        assert api_client.delete(f"{INDICATORS_URL}{snapshot.pk}/").status_code == 405
        assert api_client.post(INDICATORS_URL, {}).status_code == 405


class TestFilters:
    @pytest.fixture
    def bureau(self, api_client, personas):
        api_client.force_authenticate(user=personas["bureau_official"])
        return api_client

    def test_it_returns_the_figures_of_an_indicator(self, bureau, computed):
        response = bureau.get(
            INDICATORS_URL, {"date": "2025-10-01", "scope_type": "district", "indicator": "public_share"}
        )
        [row] = response.json()["results"]
        snapshot = IndicatorSnapshot.objects.get(date=DAY, scope_type=ScopeType.DISTRICT, indicator="public_share")
        assert row["id"] == snapshot.pk
        assert {k: row[k] for k in ("scope_key", "subdistrict", "indicator_label", "target", "met")} == {
            "scope_key": "district",
            "subdistrict": None,
            "indicator_label": "公办园在园幼儿占比",
            "target": "0.5000",
            "met": True,
        }
        assert (row["numerator"], row["denominator"], row["value"]) == ("220.00", "220.00", "1.000000")

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ("date=latest", lambda qs: qs.filter(date=DAY)),
            ("date=2025-09-15", lambda qs: qs.filter(date=EARLIER)),
            ("date_after=2025-09-16", lambda qs: qs.filter(date=DAY)),
            ("date_before=2025-09-30", lambda qs: qs.filter(date=EARLIER)),
            (
                "indicator=gross_enrollment_rate&scope_type=district",
                lambda qs: qs.filter(
                    indicator=EnrollmentIndicator.GROSS_ENROLLMENT_RATE, scope_type=ScopeType.DISTRICT, date=DAY
                ),
            ),
            (
                "indicator=gross_enrollment_rate&scope_type=district&date_after=2000-01-01",
                lambda qs: qs.filter(
                    indicator=EnrollmentIndicator.GROSS_ENROLLMENT_RATE, scope_type=ScopeType.DISTRICT
                ),
            ),
            (
                "indicator=gross_enrollment_rate&indicator=public_share&date=latest&scope_type=subdistrict",
                lambda qs: qs.filter(
                    date=DAY, scope_type=ScopeType.SUBDISTRICT, indicator__in=["gross_enrollment_rate", "public_share"]
                ),
            ),
            # No date given: the latest date only (the contract since issue 13, item 5).
            ("scope_type=ownership&scope_key=army", lambda qs: qs.filter(scope_key="army", date=DAY)),
            (
                "met=false&date=latest&scope_type=district",
                lambda qs: qs.filter(met=False, date=DAY, scope_type=ScopeType.DISTRICT),
            ),
        ],
    )
    def test_it_filters_snapshots(self, api_client, personas, computed, params, expected):
        found = api_list_ids(api_client, personas["bureau_official"], f"{INDICATORS_URL}?{params}")
        assert set(found) == ids(expected(IndicatorSnapshot.objects.all()))
        assert found

    def test_without_a_date_it_lists_the_latest_date_in_pages_without_a_count(self, bureau, computed):
        first = bureau.get(INDICATORS_URL, {"scope_type": "subdistrict"}).json()
        assert "count" not in first and first["previous"] is None
        rows, page = list(first["results"]), first
        while page["next"]:
            page = bureau.get(page["next"]).json()
            assert page["previous"]
            rows += page["results"]
        expected = IndicatorSnapshot.objects.filter(date=DAY, scope_type=ScopeType.SUBDISTRICT)
        assert len(rows) > 50 and sorted(row["id"] for row in rows) == sorted(ids(expected))
        older = IndicatorSnapshot.objects.filter(date=EARLIER).first()
        assert bureau.get(f"{INDICATORS_URL}{older.pk}/").status_code == 200  # a row of another date stays reachable
        assert bureau.get(INDICATORS_URL, {"page": 999}).status_code == 404
        assert bureau.get(INDICATORS_URL, {"page": "x"}).status_code == 404

    def test_filtering_by_indicator_reads_the_latest_date_without_a_distinct(self, bureau, computed):
        # A DISTINCT over every matching row of every date made the latest date cost 0.3 s at 2.7
        # million snapshots (docs/benchmarks.md); an indicator filter cannot repeat a row.
        with CaptureQueriesContext(connection) as queries:
            rows = bureau.get(INDICATORS_URL, {"indicator": "gross_enrollment_rate", "scope_type": "subdistrict"})
        found = rows.json()["results"]
        expected = IndicatorSnapshot.objects.filter(
            date=DAY, scope_type=ScopeType.SUBDISTRICT, indicator="gross_enrollment_rate"
        )
        assert sorted(row["id"] for row in found) == sorted(ids(expected)) and found
        snapshot_queries = [q["sql"] for q in queries.captured_queries if "reports_indicatorsnapshot" in q["sql"]]
        assert snapshot_queries and not any("DISTINCT" in sql for sql in snapshot_queries)

    def test_it_filters_by_subdistrict(self, bureau, computed, wangjing):
        rows = bureau.get(INDICATORS_URL, {"subdistrict": wangjing.pk, "date": "latest"}).json()["results"]
        assert len(rows) == indicators_per(ScopeType.SUBDISTRICT)
        assert {r["scope_key"] for r in rows} == {wangjing.code}
        assert {r["subdistrict_name"] for r in rows} == {"望京"}

    def test_it_resolves_latest_within_the_other_filters(self, bureau, computed):
        IndicatorSnapshot.objects.filter(date=DAY, scope_key="army").delete()
        rows = bureau.get(INDICATORS_URL, {"scope_key": "army", "date": "latest"}).json()["results"]
        assert {r["date"] for r in rows} == {"2025-09-15"}

    def test_it_rejects_a_malformed_date(self, bureau, computed):
        assert bureau.get(INDICATORS_URL, {"date": "yesterday"}).status_code == 400
        assert bureau.get(INDICATORS_URL, {"indicator": "happiness"}).status_code == 400

    def test_it_filters_forecasts_and_warnings(self, bureau, computed, wangjing):
        short = bureau.get("/api/forecasts/", {"date": "latest", "short": "true"}).json()["results"]
        assert short and all(r["shortfall"] > 0 and r["subdistrict"] == wangjing.pk for r in short)
        kinds = bureau.get("/api/warnings/", {"date": "2025-10-01", "kind": "underused_inclusive"}).json()["results"]
        assert [(r["kind"], r["kindergarten_name"]) for r in kinds] == [("underused_inclusive", "双井阳光幼儿园")]

    def test_it_filters_runs_by_status(self, bureau, computed):
        ComputationRun.objects.create(date=DAY, status=RunStatus.FAILED, error="测试")
        rows = bureau.get("/api/runs/", {"status": "failed"}).json()["results"]
        assert [(r["status"], r["error"]) for r in rows] == [("failed", "测试")]
