"""Official figures from reported data, with their completeness (issue 13, part 1).

On the district of `conftest.py` (2025-10-01, school year 2025–26), by hand:

| kg | licence, seats | expected to report | classes 2025 | reported |
|----|----------------|--------------------|--------------|----------|
| A (望京, education bureau) | licensed, 200 | yes | yes (imported, no submission) | yes |
| B (望京, private non-profit) | licensed, 100 | yes | yes | yes |
| C (望京, private non-profit) | community point, 50 | yes | yes | yes |
| D (望京) | unlicensed, 80 | no | (yes) | — |
| E (望京) | suspended, 100 | no | (yes) | — |
| F (双井, sub-district-run) | licensed, 100 | yes | none | **missing** |

District: 3 of 4 reported (75.0 %), holding 350 of 450 seats (77.7 %, cut from 77.78 %).
望京: 3/3 and 350/350. 双井: 0/1 and 0/100. Sponsor type "education bureau": A, 1/1; "sub-district":
F, 0/1.
"""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.choices import Role
from enrollment.choices import ClassType, EnrollmentIndicator, SubmissionStatus
from enrollment.models import EnrollmentSubmission, SchoolYear
from enrollment.services import enrollment_report_save
from enrollment.services.report import ClassRow, Report
from kindergartens.choices import SponsorType
from reports.choices import ScopeType
from reports.indicators import compute_indicators_for, drilldown_kindergartens
from reports.models import IndicatorSnapshot
from reports.pdf import render_report_html
from reports.registry import Completeness
from reports.scopes import Scope
from reports.services import compute_indicators
from reports.templatetags.report_format import percent
from tests.conftest import client_for
from tests.factories import UserFactory

from .conftest import DAY

GROSS = EnrollmentIndicator.GROSS_ENROLLMENT_RATE
SEATS = EnrollmentIndicator.SEAT_UTILISATION
FROM_REPORTS = (
    EnrollmentIndicator.GROSS_ENROLLMENT_RATE,
    EnrollmentIndicator.INCLUSIVE_COVERAGE,
    EnrollmentIndicator.PUBLIC_SHARE,
    EnrollmentIndicator.SEAT_UTILISATION,
    EnrollmentIndicator.CLASS_SIZE_COMPLIANCE,
)


def values_by_scope(day: datetime.date = DAY) -> dict:
    return {(v.scope.type, v.scope.key, v.indicator): v for v in compute_indicators_for(day)}


def of(values: dict, scope_type: str, key: str, indicator: str = GROSS):
    return values[(scope_type, key, indicator)]


def year_2025() -> SchoolYear:
    return SchoolYear.objects.get(start_year=2025)


def f_report(children: int = 20) -> Report:
    return Report.of([ClassRow(ClassType.SMALL, "小一班", 25, children)], {3: children})


# --- the rule, by hand --------------------------------------------------------------------------


def test_completeness_is_right_on_the_hand_computed_district(district):
    values = values_by_scope()
    wangjing, shuangjing = district.wangjing.code, district.shuangjing.code
    assert of(values, ScopeType.DISTRICT, "district").completeness == Completeness(4, 3, 450, 350, True)
    assert of(values, ScopeType.SUBDISTRICT, wangjing).completeness == Completeness(3, 3, 350, 350, True)
    assert of(values, ScopeType.SUBDISTRICT, shuangjing).completeness == Completeness(1, 0, 100, 0, True)
    assert of(values, ScopeType.OWNERSHIP, SponsorType.EDUCATION_BUREAU).completeness == Completeness(
        1, 1, 200, 200, True
    )
    assert of(values, ScopeType.OWNERSHIP, SponsorType.SUBDISTRICT).completeness == Completeness(1, 0, 100, 0, True)
    district_completeness = of(values, ScopeType.DISTRICT, "district").completeness
    assert (district_completeness.share, district_completeness.seat_share) == (D("0.75"), D("0.777777"))
    assert (percent(district_completeness.share), percent(district_completeness.seat_share)) == ("75.0%", "77.7%")
    assert district_completeness.missing == 1


def test_every_figure_from_reports_carries_it_and_no_other(district):
    values = values_by_scope()
    for code in FROM_REPORTS:
        assert of(values, ScopeType.DISTRICT, "district", code).completeness is not None, code
    for code in (EnrollmentIndicator.UNLICENSED_OPEN, EnrollmentIndicator.FORECAST_SHORTFALL):
        assert of(values, ScopeType.DISTRICT, "district", code).completeness is None, code


def test_a_share_with_nobody_expected_has_no_value():
    assert Completeness(0, 0, 0, 0, True).share is None
    assert Completeness(3, 2, 1_000_000, 899_999, False).seat_share == D("0.899999")
    assert percent(Completeness(3, 2, 1_000_000, 899_999, False).seat_share) == "89.9%"


# --- drafts and missing reports never enter an official figure ----------------------------------


def test_a_missing_kindergarten_is_missing_not_zero(district):
    values = values_by_scope()
    # F's 100 seats are not counted as empty ones: seat utilisation is over A + B + C's seats.
    district_seats = of(values, ScopeType.DISTRICT, "district", SEATS)
    assert (district_seats.numerator, district_seats.denominator) == (D(146), D(350))
    assert of(values, ScopeType.SUBDISTRICT, district.shuangjing.code, SEATS).value is None
    # The drill-down lists F as not reported (the page prints 未报送, not 0 children).
    rows = drilldown_kindergartens(SEATS, Scope.district(), DAY)
    assert {k.code: k.has_reported for k in rows} == {
        district.a.code: True,
        district.b.code: True,
        district.c.code: True,
        district.f.code: False,
    }


def test_a_directors_draft_enters_no_figure_and_the_kindergarten_stays_missing(district):
    before = values_by_scope()
    director = UserFactory(role=Role.DIRECTOR, kindergarten=district.f)

    enrollment_report_save(
        kindergarten=district.f, school_year=year_2025(), report=f_report(271), submit=False, user=director
    )

    after = values_by_scope()
    assert EnrollmentSubmission.objects.get(kindergarten=district.f).status == SubmissionStatus.DRAFT
    for key, value in before.items():
        assert (after[key].numerator, after[key].denominator, after[key].value) == (
            value.numerator,
            value.denominator,
            value.value,
        ), key
    assert of(after, ScopeType.DISTRICT, "district").completeness.missing == 1


def test_a_submitted_report_counts_and_completes_the_district(district):
    director = UserFactory(role=Role.DIRECTOR, kindergarten=district.f)

    enrollment_report_save(
        kindergarten=district.f, school_year=year_2025(), report=f_report(), submit=True, user=director
    )

    values = values_by_scope()
    assert of(values, ScopeType.DISTRICT, "district").completeness == Completeness(4, 4, 450, 450, True)
    assert of(values, ScopeType.DISTRICT, "district").numerator == D(131 + 20)


def test_a_draft_beside_imported_figures_leaves_the_imported_ones_counted(district):
    # A's classes came from the bureau's import (no submission); its director then saves a draft.
    director = UserFactory(role=Role.DIRECTOR, kindergarten=district.a)
    enrollment_report_save(
        kindergarten=district.a, school_year=year_2025(), report=f_report(5), submit=False, user=director
    )

    values = values_by_scope()
    wangjing = of(values, ScopeType.SUBDISTRICT, district.wangjing.code)
    assert (wangjing.numerator, wangjing.completeness.reported) == (D(131), 3)


def test_a_year_is_provisional_until_the_bureau_locks_it(district):
    SchoolYear.objects.filter(start_year=2025).update(locked=True)

    values = values_by_scope()

    assert of(values, ScopeType.DISTRICT, "district").completeness.provisional is False


# --- stored with each snapshot, shown everywhere -----------------------------------------------


@pytest.fixture
def computed(district, fake_report):
    run = compute_indicators(date=DAY)
    assert run.status == "succeeded", run.error
    return run


def test_the_snapshots_store_the_completeness_they_were_computed_with(computed, district):
    row = IndicatorSnapshot.objects.get(date=DAY, scope_type=ScopeType.DISTRICT, indicator=GROSS)
    assert (row.reports_expected, row.reports_received, row.seats_expected, row.seats_reported, row.provisional) == (
        4,
        3,
        450,
        350,
        True,
    )
    assert row.completeness == Completeness(4, 3, 450, 350, True)
    unlicensed = IndicatorSnapshot.objects.get(
        date=DAY, scope_type=ScopeType.DISTRICT, indicator=EnrollmentIndicator.UNLICENSED_OPEN
    )
    assert (unlicensed.reports_expected, unlicensed.provisional, unlicensed.completeness) == (None, None, None)


def test_the_dashboard_shows_it_with_the_headline_and_each_row_and_links_the_missing(
    computed, district, client, bureau_official
):
    response = client_for(client, bureau_official).get("/dashboard/")
    board = response.context["board"]
    assert board.completeness == Completeness(4, 3, 450, 350, True)
    assert all(f.completeness == board.completeness for f in board.headline)
    rows = {row.name: row for row in board.rows}
    assert rows["双井"].completeness == Completeness(1, 0, 100, 0, True)
    html = response.content.decode()
    assert "已报 3 / 应报 4 所（75.0%），占核定学位 77.7%" in html
    assert "暂定" in html
    missing = f"{reverse('enrollment:tracker')}?year=2025&amp;status=no_figures"
    assert missing in html
    assert f"{missing}&amp;subdistrict={district.shuangjing.pk}" in html
    # The help says what counts.
    assert "报送完整度" in [str(term) for term, _text in response.context["definitions"]]

    # The link lists F, and only F.
    page = client.get(board.missing_url)
    assert [k.code for k in page.context["object_list"]] == [district.f.code]


def test_a_subdistrict_official_sees_their_own_completeness_and_missing_list(
    computed, district, client, wangjing_official
):
    response = client_for(client, wangjing_official).get(f"/dashboard/subdistrict/{district.wangjing.pk}/")
    assert response.context["board"].completeness == Completeness(3, 3, 350, 350, True)
    # The missing list is scoped: F (双井) is not theirs.
    page = client.get(reverse("enrollment:tracker"), {"year": 2025, "status": "no_figures"})
    assert list(page.context["object_list"]) == []


def test_the_api_gives_the_completeness_of_each_figure(computed, district, api_client, bureau_official):
    api_client.force_authenticate(user=bureau_official)
    rows = api_client.get("/api/indicators/", {"indicator": GROSS, "scope_type": ScopeType.SUBDISTRICT}).json()
    shuangjing = next(r for r in rows["results"] if r["scope_key"] == district.shuangjing.code)
    completeness = shuangjing["completeness"]
    assert {k: completeness[k] for k in ("expected", "reported", "missing", "expected_seats", "reported_seats")} == {
        "expected": 1,
        "reported": 0,
        "missing": 1,
        "expected_seats": 100,
        "reported_seats": 0,
    }
    assert (completeness["share"], completeness["provisional"]) == ("0.000000", True)
    assert completeness["missing_url"].endswith(f"status=no_figures&subdistrict={district.shuangjing.pk}")
    unlicensed = api_client.get(
        "/api/indicators/", {"indicator": EnrollmentIndicator.UNLICENSED_OPEN, "scope_type": ScopeType.DISTRICT}
    ).json()["results"]
    assert unlicensed[0]["completeness"] is None


def test_the_pdf_shows_it_on_the_cover_the_overview_and_each_subdistrict_row(computed, district):
    html = render_report_html(date=DAY)
    assert html.count("报送完整度：已报 3 / 应报 4 所（75.0%），占核定学位 77.7%") == 2
    assert "暂定" in html
    assert "0/1（0.0%）" in html  # 双井's row
    assert "3/3（100.0%）" in html  # 望京's row
