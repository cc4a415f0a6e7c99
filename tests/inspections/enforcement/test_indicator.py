"""The `unlicensed_open_cases` indicator ("dynamic zero"): its formula on a hand-computed case,
its target from the data migration, one constant query in the engine, the nightly snapshots,
the API and the dashboard.

Hand-computed, for D = 2025-10-01:

| case | sub-district | discovered | status on record | resolved | counts on D? |
|---|---|---|---|---|---|
| w1 | 望京 | 2025-09-01 | ordered to close (2025-09-10) | — | yes |
| w2 | 望京 | 2025-09-20 | discovered | — | yes |
| w3 | 望京 | 2025-10-01 | discovered | — | yes (discovered on D) |
| w4 | 望京 | 2025-10-02 | discovered | — | no: discovered after D |
| w5 | 望京 | 2025-08-01 | closed | 2025-09-25 | no: closed before D |
| s1 | 双井 | 2025-07-01 | converted | 2025-10-20 | yes: still open on D |
| s2 | 双井 | 2025-06-01 | converted | 2025-10-01 | no: converted on D |
| — | 建外 | — | — | — | 0 |

望京 3, 双井 1, 建外 0, district 4. The target is Chaoyang's ≤ 0.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.choices import UnlicensedCaseStatus
from inspections.indicators import UNLICENSED_OPEN_CASES
from inspections.models import UnlicensedCase
from reports import services as report_services
from reports.choices import Authority, Comparison, ScopeType
from reports.indicators import Scope, compute_indicators_for, indicators_for_scope
from reports.models import IndicatorSnapshot, Target
from reports.services import compute_indicators
from tests.conftest import client_for
from tests.factories import subdistrict

pytestmark = pytest.mark.django_db

D = datetime.date(2025, 10, 1)
CODE = UNLICENSED_OPEN_CASES


def case(area: str, discovered: str, status: str = UnlicensedCaseStatus.DISCOVERED, **dates) -> UnlicensedCase:
    built = UnlicensedCase(
        subdistrict=subdistrict(area),
        name=f"{area}看护点{discovered}",
        discovered_on=datetime.date.fromisoformat(discovered),
        status=status,
        **{k: datetime.date.fromisoformat(v) for k, v in dates.items()},
    )
    built.full_clean()
    built.save()
    return built


@pytest.fixture
def cases(db):
    case("望京", "2025-09-01", UnlicensedCaseStatus.ORDERED_TO_CLOSE, ordered_on="2025-09-10")
    case("望京", "2025-09-20")
    case("望京", "2025-10-01")
    case("望京", "2025-10-02")
    case("望京", "2025-08-01", UnlicensedCaseStatus.CLOSED, ordered_on="2025-08-05", resolved_on="2025-09-25")
    case("双井", "2025-07-01", UnlicensedCaseStatus.CONVERTED, ordered_on="2025-07-10", resolved_on="2025-10-20")
    case("双井", "2025-06-01", UnlicensedCaseStatus.CONVERTED, ordered_on="2025-06-10", resolved_on="2025-10-01")


def by_scope(values, scope_type: str, key: str):
    return next(v for v in values if v.indicator == CODE and v.scope_type == scope_type and v.scope_key == key)


def test_the_target_is_seeded_by_the_data_migration_as_zero_at_most():
    target = Target.objects.get(indicator=CODE)
    assert (target.authority, target.comparison, target.value) == (Authority.CHAOYANG, Comparison.AT_MOST, 0)
    assert target.valid_from == datetime.date(2021, 1, 1) and target.valid_to is None
    assert "动态清零" in target.source


def test_it_counts_the_cases_open_on_the_date_per_subdistrict_and_for_the_district(cases):
    values = compute_indicators_for(D)
    expected = {"望京": 3, "双井": 1, "建外": 0}
    for name, count in expected.items():
        value = by_scope(values, ScopeType.SUBDISTRICT, subdistrict(name).code)
        assert (value.numerator, value.denominator, value.value) == (Decimal(count), None, Decimal(count))
        assert (value.target, value.comparison, value.met) == (Decimal(0), Comparison.AT_MOST, count == 0)
    district = by_scope(values, ScopeType.DISTRICT, "district")
    assert (district.value, district.met) == (Decimal(4), False)
    # Every sub-district has its row; sponsor types have none (a case has no sponsor type).
    assert sum(1 for v in values if v.indicator == CODE and v.scope_type == ScopeType.SUBDISTRICT) == 43
    assert not [v for v in values if v.indicator == CODE and v.scope_type == ScopeType.OWNERSHIP]


def test_today_it_counts_exactly_the_open_statuses(cases):
    # For the nightly run (D = today) "open on D" is the open statuses discovered by D.
    today = datetime.date(2026, 1, 1)
    district = by_scope(compute_indicators_for(today), ScopeType.DISTRICT, "district")
    assert district.value == Decimal(4)  # w1, w2, w3, w4; every closed or converted case resolved before


def test_one_subdistrict_scope_gives_the_same_figure(cases):
    values = indicators_for_scope(D, Scope.of_subdistrict(subdistrict("望京")))
    assert [v.value for v in values if v.indicator == CODE] == [Decimal(3)]


def test_the_engine_reads_the_cases_in_one_query_however_many_there_are(cases):
    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            compute_indicators_for(D)
        on_cases = [q for q in captured.captured_queries if "inspections_unlicensedcase" in q["sql"]]
        return len(captured.captured_queries), len(on_cases)

    few = count()
    for n in range(20):
        case("劲松", f"2025-09-{n + 1:02d}")
    assert count() == few
    assert few[1] == 1


def test_an_ownership_scope_does_not_read_the_cases(cases):
    with CaptureQueriesContext(connection) as captured:
        indicators_for_scope(D, Scope.of_sponsor_type("education_bureau"))
    assert not [q for q in captured.captured_queries if "inspections_unlicensedcase" in q["sql"]]


@pytest.fixture
def computed(cases, monkeypatch, tmp_path):
    """The nightly job for D, with the PDF report stubbed (rendered by the reports tests)."""

    def render_report_file(*, date, subdistrict=None):
        path = tmp_path / "report.pdf"
        path.write_bytes(b"%PDF-1.7\n")
        return path

    monkeypatch.setattr(report_services, "render_report_file", render_report_file)
    run = compute_indicators(date=D)
    assert run.status == "succeeded", run.error


def test_the_nightly_job_stores_it_and_the_api_serves_it(computed, api_client, bureau_official, wangjing_official):
    stored = IndicatorSnapshot.objects.filter(date=D, indicator=CODE)
    assert stored.count() == 44
    assert stored.get(scope_type=ScopeType.DISTRICT).value == Decimal(4)
    api_client.force_authenticate(bureau_official)
    rows = api_client.get("/api/indicators/", {"indicator": CODE, "date": "latest", "page_size": 100}).json()
    results = rows["results"] if isinstance(rows, dict) else rows
    assert {r["scope_key"]: Decimal(r["value"]) for r in results}[subdistrict("望京").code] == Decimal(3)
    api_client.force_authenticate(wangjing_official)
    mine = api_client.get("/api/indicators/", {"indicator": CODE}).json()["results"]
    assert [(r["scope_key"], Decimal(r["value"]), r["met"]) for r in mine] == [
        (subdistrict("望京").code, Decimal(3), False)
    ]


def test_the_dashboard_shows_it_with_the_other_indicators(computed, client, bureau_official):
    client_for(client, bureau_official)
    board = client.get("/dashboard/", {"date": D.isoformat()}).context["board"]
    figure = next(f for f in board.others if f.indicator == CODE)
    assert (figure.value, figure.short, figure.chaoyang.value) == (Decimal(4), True, Decimal(0))
    page = client.get(f"/dashboard/subdistrict/{subdistrict('建外').pk}/", {"date": D.isoformat()})
    figure = next(f for f in page.context["board"].others if f.indicator == CODE)
    assert (figure.value, figure.met) == (Decimal(0), True)
    assert "未办结无证园案件数" in page.content.decode()


def test_its_breakdown_is_the_list_of_open_cases(computed, client, bureau_official):
    client_for(client, bureau_official)
    wangjing = subdistrict("望京")
    response = client.get(f"/dashboard/drilldown/{CODE}/", {"subdistrict": wangjing.pk})
    assert response.status_code == 302
    assert response.url.endswith(f"/unlicensed/?open=true&subdistrict={wangjing.pk}")
