"""The dashboard, its drill-downs, the warnings list, the runs page and the xlsx exports.

Most tests build `IndicatorSnapshot`, `EarlyWarning` and `SeatForecast` rows directly, so they
check what the pages do with stored figures; one test runs the real computation first.
"""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enrollment.choices import EnrollmentIndicator
from enrollment.models import SchoolYear
from kindergartens.models import Subdistrict
from reports import registry
from reports.choices import RunStatus, ScopeType, WarningKind
from reports.models import ComputationRun, EarlyWarning, IndicatorSnapshot, SeatForecast
from tests.conftest import client_for
from tests.factories import KindergartenFactory, subdistrict

from .conftest import DAY

TODAY = datetime.date(2025, 11, 28)
EARLIER = datetime.date(2025, 10, 15)
DASHBOARD = "/dashboard/"


def snap(
    day: datetime.date,
    indicator: str,
    numerator: int | str,
    denominator: int | str | None,
    value: str | None,
    sub: Subdistrict | None = None,
) -> IndicatorSnapshot:
    return IndicatorSnapshot.objects.create(
        date=day,
        scope_type=ScopeType.DISTRICT if sub is None else ScopeType.SUBDISTRICT,
        scope_key="district" if sub is None else sub.code,
        subdistrict=sub,
        indicator=indicator,
        numerator=Decimal(numerator),
        denominator=None if denominator is None else Decimal(denominator),
        value=None if value is None else Decimal(value),
    )


def headline(day: datetime.date, sub: Subdistrict | None, gross: tuple, inclusive: tuple, public: tuple) -> None:
    snap(day, EnrollmentIndicator.GROSS_ENROLLMENT_RATE, *gross, sub=sub)
    snap(day, EnrollmentIndicator.INCLUSIVE_COVERAGE, *inclusive, sub=sub)
    snap(day, EnrollmentIndicator.PUBLIC_SHARE, *public, sub=sub)


@pytest.fixture
def figures(db):
    """District and two sub-districts on two dates; 双井 falls short of the enrolment target."""
    wangjing, shuangjing = subdistrict("望京"), subdistrict("双井")
    headline(EARLIER, None, (1700, 2000, "0.85"), (1500, 1700, "0.882353"), (900, 1700, "0.529412"))
    headline(TODAY, None, (1850, 2000, "0.925"), (1700, 1850, "0.918919"), (1000, 1850, "0.540541"))
    headline(TODAY, wangjing, (1100, 1000, "1.1"), (1000, 1100, "0.909091"), (600, 1100, "0.545455"))
    headline(TODAY, shuangjing, (750, 1000, "0.75"), (700, 750, "0.933333"), (400, 750, "0.533333"))
    snap(TODAY, EnrollmentIndicator.UNLICENSED_OPEN, 2, None, "2")
    snap(TODAY, EnrollmentIndicator.SEAT_UTILISATION, 1850, 2500, "0.74")
    return wangjing, shuangjing


def chart_data(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="dashboard-data" type="application/json">') + len(
        '<script id="dashboard-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_it_shows_the_three_targets_of_the_latest_snapshot(client, bureau_official, figures):
    response = client_for(client, bureau_official).get(DASHBOARD)
    assert response.status_code == 200
    board = response.context["board"]
    assert board.date == TODAY
    gross, inclusive, public = board.headline
    assert (gross.numerator, gross.denominator, gross.value) == (Decimal(1850), Decimal(2000), Decimal("0.925"))
    # Both authorities' targets, from the versioned target data, with their verdicts.
    assert [(t.authority, t.value, t.met) for t in gross.targets] == [
        ("chaoyang", Decimal("0.9000"), True),
        ("national", Decimal("0.8500"), True),
    ]
    assert inclusive.chaoyang.met is True and public.met is True
    html = response.content.decode()
    assert "92.5%" in html and "1,850" in html and "2,000" in html
    assert "≥ 90%" in html and "≥ 85%" in html and "国家标准" in html and "朝阳区目标" in html
    # The other indicators: the unlicensed count against its target of 0.
    unlicensed = next(f for f in board.others if f.indicator == EnrollmentIndicator.UNLICENSED_OPEN)
    assert unlicensed.value == 2 and unlicensed.met is False


def test_it_shows_an_earlier_snapshot_when_a_date_is_picked(client, bureau_official, figures):
    response = client_for(client, bureau_official).get(DASHBOARD, {"date": EARLIER.isoformat()})
    gross = response.context["board"].headline[0]
    assert response.context["board"].date == EARLIER
    assert gross.value == Decimal("0.85") and gross.chaoyang.met is False and gross.national.met is True
    assert response.context["board"].dates == [TODAY, EARLIER]
    # A day after the earlier snapshot shows that snapshot; a day before every snapshot, none.
    response = client.get(DASHBOARD, {"date": "2025-11-01"})
    assert response.context["board"].date == EARLIER
    response = client.get(DASHBOARD, {"date": "2020-01-01"})
    assert response.context["board"].date is None and "所选日期以前没有指标快照" in response.content.decode()
    assert client.get(DASHBOARD, {"date": "not-a-date"}).context["board"].date == TODAY


def test_it_embeds_the_trend_and_the_subdistricts_as_json(client, bureau_official, figures):
    SchoolYear.objects.create(start_year=2025)  # statistical date 15 October 2025 = EARLIER
    data = chart_data(client_for(client, bureau_official).get(DASHBOARD))
    # The trend is the annual series: EARLIER is 2025–26's statistical date, TODAY a nightly snapshot.
    assert data["trend"]["dates"] == [EARLIER.isoformat()]
    assert data["trend"]["points"] == [{"date": "2025-10-15", "year": "2025–2026", "completeness": None}]
    assert data["trend"]["series"]["gross_enrollment_rate"] == [0.85]
    assert data["subdistricts"]["names"] == ["双井", "望京"]  # furthest below a target first
    assert data["subdistricts"]["series"]["gross_enrollment_rate"] == [0.75, 1.1]
    assert {t["value"] for t in data["targets"]["gross_enrollment_rate"]} == {0.9, 0.85}


def test_it_highlights_subdistricts_short_of_the_target_and_links_to_their_dashboards(client, bureau_official, figures):
    wangjing, shuangjing = figures
    response = client_for(client, bureau_official).get(DASHBOARD)
    rows = {row.name: row for row in response.context["board"].rows}
    assert rows["双井"].short and not rows["望京"].short
    html = response.content.decode()
    assert '<td class="num bad">75.0%</td>' in html
    assert reverse("reports:subdistrict_dashboard", args=[shuangjing.pk]) in html
    assert reverse("reports:subdistrict_dashboard", args=[wangjing.pk]) in html


def test_it_says_so_when_there_is_no_snapshot_yet(client, bureau_official):
    response = client_for(client, bureau_official).get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["board"].date is None
    assert "还没有指标快照" in response.content.decode()


def test_it_shows_a_dash_for_a_zero_denominator(client, bureau_official, db):
    shuangjing = subdistrict("双井")
    headline(TODAY, None, (10, 100, "0.1"), (10, 10, "1"), (10, 10, "1"))
    headline(TODAY, shuangjing, (0, 0, None), (0, 0, None), (0, 0, None))
    response = client_for(client, bureau_official).get(DASHBOARD)
    row = response.context["board"].rows[0]
    assert [f.value for f in row.figures] == [None, None, None]
    assert [f.met for f in row.figures] == [None, None, None] and not row.short
    html = response.content.decode()
    assert '<td class="num">—</td>' in html
    response = client.get(reverse("reports:subdistrict_dashboard", args=[shuangjing.pk]))
    gross = response.context["board"].headline[0]
    assert gross.value is None
    assert '<a class="big-figure"' in response.content.decode()
    assert "—</a>" in response.content.decode()


def test_it_shows_the_warnings_and_the_forecast_of_the_date(client, bureau_official, figures, kg_a):
    wangjing, shuangjing = figures
    for shortfall in (30, 20, 10, 5, 4, 3, 2):
        EarlyWarning.objects.create(
            date=TODAY,
            kind=WarningKind.SEAT_SHORTAGE,
            subdistrict=shuangjing,
            year=2027,
            demand=100 + shortfall,
            supply=100,
            shortfall=shortfall,
            message=f"双井缺口{shortfall}",
        )
    EarlyWarning.objects.create(
        date=EARLIER, kind=WarningKind.SEAT_SHORTAGE, subdistrict=shuangjing, year=2026, message="旧预警"
    )
    for sub, demand, seats in ((wangjing, 900, 1000), (shuangjing, 1200, 1000)):
        SeatForecast.objects.create(
            date=TODAY, subdistrict=sub, year=2027, cohort=demand, demand=demand, seats=seats, shortfall=demand - seats
        )
    board = client_for(client, bureau_official).get(DASHBOARD).context["board"]
    assert board.warning_count == 7
    assert [w.shortfall for w in board.warnings] == [30, 20, 10, 5, 4]
    # The district's gap is the sum of the sub-districts' gaps: 望京's surplus does not fill 双井's.
    assert [(f.year, f.demand, f.seats, f.gap) for f in board.forecast] == [(2027, 2100, 2000, 200)]


def test_it_shows_the_last_run_and_offers_bureau_staff_to_run_now(client, bureau_official, wangjing_official, figures):
    ComputationRun.objects.create(date=TODAY, status=RunStatus.FAILED, error="磁盘已满")
    html = client_for(client, bureau_official).get(DASHBOARD).content.decode()
    assert "失败" in html and "磁盘已满" in html
    assert reverse("reports:compute_now") in html
    html = client_for(client, wangjing_official).get(DASHBOARD, follow=True).content.decode()
    assert reverse("reports:compute_now") not in html and "磁盘已满" not in html


def test_it_explains_the_definitions(client, bureau_official, figures):
    html = client_for(client, bureau_official).get(DASHBOARD).content.decode()
    assert "指标说明" in html and "在园幼儿" in html and "不作截顶" in html


# --- scoping ------------------------------------------------------------------------------


def test_it_sends_each_role_home_to_its_own_page(client, bureau_official, wangjing_official, director_a, kg_a):
    # The home page is the dashboard itself for those who watch one: the district's, or the area's.
    assert client_for(client, bureau_official).get("/").context["board"].subdistrict is None
    wangjing = wangjing_official.subdistrict
    assert client_for(client, wangjing_official).get("/").context["board"].subdistrict == wangjing
    response = client_for(client, director_a).get("/")
    assert "board" not in response.context and kg_a.name in response.content.decode()


def test_it_shows_a_subdistrict_official_their_own_area_only(client, wangjing_official, figures):
    wangjing, shuangjing = figures
    client_for(client, wangjing_official)
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response.url == f"/dashboard/subdistrict/{wangjing.pk}/"
    response = client.get(response.url)
    assert response.status_code == 200
    board = response.context["board"]
    assert board.subdistrict == wangjing and board.rows == []
    assert board.headline[0].value == Decimal("1.1")
    html = response.content.decode()
    assert "92.5%" not in html and "75.0%" not in html  # neither the district's nor 双井's figure
    assert client.get(f"/dashboard/subdistrict/{shuangjing.pk}/").status_code == 404
    assert (
        client.get(
            reverse("reports:drilldown", args=["gross_enrollment_rate"]), {"subdistrict": shuangjing.pk}
        ).status_code
        == 404
    )


@pytest.mark.parametrize("persona", ["director_a", "inspector"])
def test_it_gives_directors_and_inspectors_no_dashboard(client, personas, figures, persona):
    wangjing, _ = figures
    client_for(client, personas[persona])
    for url in (
        DASHBOARD,
        f"/dashboard/subdistrict/{wangjing.pk}/",
        reverse("reports:drilldown", args=["gross_enrollment_rate"]),
        reverse("reports:warning_list"),
        reverse("reports:indicator_export"),
        reverse("reports:report_pdf"),
    ):
        assert client.get(url).status_code == 403, url


def test_it_sends_anonymous_visitors_to_the_login_page(client, figures):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_shows_the_nav_link_to_officials_only(client, bureau_official, director_a):
    assert (
        "仪表盘" in client_for(client, bureau_official).get(reverse("kindergartens:kindergarten_list")).content.decode()
    )
    assert (
        "仪表盘" not in client_for(client, director_a).get(reverse("kindergartens:kindergarten_list")).content.decode()
    )


# --- drill-down on the real engine ----------------------------------------------------------


def test_it_drills_down_to_the_kindergartens_behind_a_figure(
    client, bureau_official, wangjing_official, district, fake_report
):
    from reports.services import compute_indicators

    assert compute_indicators(date=DAY).status == RunStatus.SUCCEEDED
    client_for(client, bureau_official)
    url = reverse("reports:drilldown", args=["gross_enrollment_rate"])
    response = client.get(url, {"date": DAY.isoformat()})
    assert response.status_code == 200
    # Operating kindergartens only: not the unlicensed D nor the suspended E.
    assert set(response.context["object_list"]) == {district.a, district.b, district.c, district.f}
    assert response.context["totals"]["enrolled"] == 131
    assert response.context["figure"].value == Decimal("0.436666")  # 131 ÷ 300 cut to six places, from the snapshot

    response = client.get(url, {"date": DAY.isoformat(), "subdistrict": district.shuangjing.pk})
    assert list(response.context["object_list"]) == [district.f]

    response = client.get(reverse("reports:drilldown", args=["unlicensed_open"]))
    assert list(response.context["object_list"]) == [district.d]

    response = client.get(
        reverse("reports:drilldown", args=["public_share"]), {"part": "in", "subdistrict": district.wangjing.pk}
    )
    assert list(response.context["object_list"]) == [district.a]
    response = client.get(
        reverse("reports:drilldown", args=["public_share"]), {"part": "out", "subdistrict": district.wangjing.pk}
    )
    assert set(response.context["object_list"]) == {district.b, district.c}

    assert client.get(reverse("reports:drilldown", args=["no_such_indicator"])).status_code == 404

    # A sub-district official asking for the district's list gets their own area's.
    response = client_for(client, wangjing_official).get(url, {"date": DAY.isoformat()})
    assert set(response.context["object_list"]) == {district.a, district.b, district.c}


def test_it_shows_the_engines_figures_after_a_real_computation(client, bureau_official, district, fake_report):
    from reports.services import compute_indicators

    compute_indicators(date=DAY)
    response = client_for(client, bureau_official).get(f"/dashboard/subdistrict/{district.wangjing.pk}/")
    gross, inclusive, public = response.context["board"].headline
    assert (gross.numerator, gross.denominator) == (Decimal(131), Decimal(300))
    assert (inclusive.numerator, public.numerator) == (Decimal(106), Decimal(86))
    assert "43.6%" in response.content.decode()  # 43.67 % is cut, not rounded up


# --- constant query count ------------------------------------------------------------------


def grow(scale: int, start: int) -> None:
    """`scale` kindergartens per sub-district used, `scale` snapshot dates, warnings and forecasts."""
    subs = list(Subdistrict.objects.order_by("code")[:5])
    for sub in subs:
        for _ in range(scale):
            kindergarten = KindergartenFactory(subdistrict=sub)
            EarlyWarning.objects.create(
                date=TODAY,
                kind=WarningKind.UNDERUSED_INCLUSIVE,
                subdistrict=sub,
                kindergarten=kindergarten,
                year=2025,
                message="利用率低",
            )
    rows = []
    for offset in range(start, start + scale):
        day = TODAY - datetime.timedelta(days=offset)
        for sub in [None, *subs]:
            for code in registry.codes():
                rows.append(
                    IndicatorSnapshot(
                        date=day,
                        scope_type=ScopeType.DISTRICT if sub is None else ScopeType.SUBDISTRICT,
                        scope_key="district" if sub is None else sub.code,
                        subdistrict=sub,
                        indicator=code,
                        numerator=90 + offset % 10,
                        denominator=100,
                        value=Decimal(90 + offset % 10) / 100,
                    )
                )
    IndicatorSnapshot.objects.bulk_create(rows)
    SeatForecast.objects.bulk_create(
        SeatForecast(date=TODAY, subdistrict=sub, year=2026 + i, cohort=100, demand=90, seats=80, shortfall=10)
        for sub in subs
        for i in range(start, start + scale)
    )


def query_counts(client) -> list[int]:
    wangjing = subdistrict("建外")  # the first sub-district by code: it has data at every scale
    counts = []
    for url in (
        DASHBOARD,
        f"/dashboard/subdistrict/{wangjing.pk}/",
        reverse("reports:warning_list"),
        reverse("reports:drilldown", args=["gross_enrollment_rate"]),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_it_keeps_the_query_count_when_the_data_grows_tenfold(client, bureau_official):
    client_for(client, bureau_official)
    grow(2, start=0)
    small = query_counts(client)
    grow(18, start=2)  # 2 → 20 per sub-district, 2 → 20 snapshot dates
    assert EarlyWarning.objects.count() == 100 and IndicatorSnapshot.objects.dates("date", "day").count() == 20
    assert query_counts(client) == small


# --- warnings, runs, compute now --------------------------------------------------------------


@pytest.fixture
def warnings(figures, kg_a, kg_c):
    wangjing, shuangjing = figures
    common = {"date": TODAY, "year": 2026}
    return [
        EarlyWarning.objects.create(
            kind=WarningKind.SEAT_SHORTAGE, subdistrict=wangjing, shortfall=50, message="望京缺口", **common
        ),
        EarlyWarning.objects.create(
            kind=WarningKind.UNDERUSED_INCLUSIVE,
            subdistrict=wangjing,
            kindergarten=kg_a,
            message="望京园利用率低",
            **common,
        ),
        EarlyWarning.objects.create(
            kind=WarningKind.SEAT_SHORTAGE, subdistrict=shuangjing, shortfall=80, message="双井缺口", **common
        ),
    ]


def test_it_lists_and_filters_the_warnings_within_the_users_scope(client, bureau_official, wangjing_official, warnings):
    url = reverse("reports:warning_list")
    response = client_for(client, bureau_official).get(url)
    assert [w.message for w in response.context["object_list"]] == ["双井缺口", "望京缺口", "望京园利用率低"]
    response = client.get(url, {"kind": WarningKind.SEAT_SHORTAGE, "subdistrict": warnings[0].subdistrict_id})
    assert [w.message for w in response.context["object_list"]] == ["望京缺口"]
    response = client_for(client, wangjing_official).get(url)
    assert {w.message for w in response.context["object_list"]} == {"望京缺口", "望京园利用率低"}


def read_xlsx(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def test_it_exports_the_warnings_within_the_users_scope(client, bureau_official, wangjing_official, warnings):
    url = reverse("reports:warning_export")
    rows = read_xlsx(client_for(client, bureau_official).get(url))
    assert rows[0][:3] == ("统计日期", "预警类型", "街道/地区")
    assert {row[9] for row in rows[1:]} == {"望京缺口", "望京园利用率低", "双井缺口"}
    rows = read_xlsx(client_for(client, wangjing_official).get(url, {"kind": WarningKind.SEAT_SHORTAGE}))
    assert [row[9] for row in rows[1:]] == ["望京缺口"]
    assert rows[1][1] == "学位供给不足"


def test_it_exports_the_indicators_within_the_users_scope(client, bureau_official, wangjing_official, figures):
    url = reverse("reports:indicator_export")
    rows = read_xlsx(client_for(client, bureau_official).get(url))
    header, data = rows[0], [r for r in rows[1:] if isinstance(r[0], datetime.datetime)]
    assert header[:4] == ("统计日期", "范围类型", "范围代码", "范围")
    assert {r[3] for r in data} == {"全区", "望京", "双井"}
    assert all(r[0].date() == TODAY for r in data)
    gross = next(r for r in data if r[3] == "全区" and r[5] == "gross_enrollment_rate")
    assert gross[6:10] == (1850, 2000, 0.925, "92.5%")

    rows = read_xlsx(client_for(client, wangjing_official).get(url, {"date": EARLIER.isoformat()}))
    data = [r for r in rows[1:] if isinstance(r[0], datetime.datetime)]
    # 望京 has no snapshot on the earlier date, and the district rows are not theirs to see.
    assert data == []
    rows = read_xlsx(client.get(url))
    data = [r for r in rows[1:] if isinstance(r[0], datetime.datetime)]
    assert {r[3] for r in data} == {"望京"} and len(data) == 3


def test_it_lists_the_runs_with_their_errors_for_the_bureau_only(client, bureau_official, wangjing_official, db):
    ComputationRun.objects.create(date=TODAY, status=RunStatus.SUCCEEDED)
    ComputationRun.objects.create(date=EARLIER, status=RunStatus.FAILED, error="ZeroDivisionError: 除零")
    url = reverse("reports:run_list")
    response = client_for(client, bureau_official).get(url)
    assert len(response.context["object_list"]) == 2 and "ZeroDivisionError: 除零" in response.content.decode()
    response = client.get(url, {"failed": "1"})
    assert [run.status for run in response.context["object_list"]] == [RunStatus.FAILED]
    assert client_for(client, wangjing_official).get(url).status_code == 403


def test_it_runs_the_computation_now_for_bureau_staff(
    client, bureau_official, wangjing_official, district, fake_report
):
    url = reverse("reports:compute_now")
    assert client_for(client, wangjing_official).post(url).status_code == 403
    client_for(client, bureau_official)
    assert client.get(url).status_code == 405  # a GET (a prefetch, a crawler) never starts a run
    response = client.post(url, follow=True)
    run = ComputationRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED and run.triggered_by == bureau_official
    assert IndicatorSnapshot.objects.filter(date=run.date).exists()
    assert "已完成" in response.content.decode()
    assert len(fake_report) == 1


def test_the_subdistrict_table_sorts_by_gap_to_target_or_by_name(client, bureau_official, figures):
    client_for(client, bureau_official)
    names = lambda query: [row.name for row in client.get(DASHBOARD + query).context["board"].rows]  # noqa: E731
    gross = EnrollmentIndicator.GROSS_ENROLLMENT_RATE
    assert names("") == ["双井", "望京"]  # 双井 is 15 points below 90 %
    assert names(f"?sort={gross}") == ["双井", "望京"]
    assert names(f"?sort=-{gross}") == ["望京", "双井"]
    # Inclusive coverage: 望京 90.9 % is closer to 90 % than 双井 93.3 %, so it comes first.
    assert names(f"?sort={EnrollmentIndicator.INCLUSIVE_COVERAGE}") == ["望京", "双井"]
    assert names("?sort=-name") == sorted(["双井", "望京"], reverse=True)
    assert names("?sort=nonsense") == ["双井", "望京"]  # an unknown key falls back to the default


def test_the_needs_attention_list_names_the_furthest_below_target(client, bureau_official, figures):
    _, shuangjing = figures
    board = client_for(client, bureau_official).get(DASHBOARD).context["board"]
    below = board.attention["below_target"]
    assert [(a.name, a.figure.indicator) for a in below] == [("双井", EnrollmentIndicator.GROSS_ENROLLMENT_RATE)]
    assert below[0].value == Decimal("-0.15")
    html = client.get(DASHBOARD).content.decode()
    assert "需要关注" in html and f"/dashboard/subdistrict/{shuangjing.pk}/" in html


def test_the_chart_axis_starts_at_zero_and_bars_are_ranked_by_gap():
    js = (settings.BASE_DIR / "static/js/dashboard.js").read_text()
    assert "min: 0," in js and "function ranked(" in js
