"""One definition per measure: the evaluation coverage of the three-year cycle is the same figure
on the dashboard, the cycle page, the results overview and the registered indicator."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from inspections import services
from inspections.coverage import EVALUATION_COVERAGE, Coverage
from reports.indicators import compute_indicators_for, format_indicator_value
from reports.scopes import Scope
from tests.conftest import client_for
from tests.inspections import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(kg_a, kg_b, kg_c, director_b, bureau_official):
    """kg_a: a published supervisory evaluation; kg_b: an accepted self-assessment; kg_c: nothing."""
    this_year = timezone.localdate().year
    cycle = f.cycle(start_year=this_year - 1)
    for kindergarten in (kg_a, kg_b, kg_c):
        f.assign(cycle, kindergarten, year=this_year)
    f.external_evaluation(cycle, kg_a, status="published", value=3)
    assessment = f.submitted(cycle, kg_b, director_b)
    services.self_assessment_accept(assessment=assessment, user=bureau_official)
    return cycle


def test_the_coverage_cuts_rather_than_rounds():
    assert Coverage(evaluated=2, planned=3).percent == Decimal("66.6")
    assert str(Coverage(evaluated=1, planned=8)) == "12.5%"
    assert str(Coverage(evaluated=0, planned=0)) == "—"


def test_every_page_shows_the_same_evaluation_coverage(client, bureau_official, plan):
    client_for(client, bureau_official)
    expected = "66.6%"  # 2 evaluated (one published result, one accepted self-assessment) of 3 planned

    dashboard = client.get("/dashboard/panels/quality/")  # the dashboard's panel, fetched apart
    assert str(dashboard.context["quality"].evaluation_coverage) == expected
    assert expected in dashboard.content.decode()

    cycle_page = client.get(f"/inspections/cycles/{plan.pk}/")
    assert str(cycle_page.context["total_coverage"]) == expected
    assert expected in cycle_page.content.decode()

    results_page = client.get(f"/inspections/results/?cycle={plan.pk}")
    assert str(results_page.context["overview"].total.coverage) == expected
    assert expected in results_page.content.decode()

    values = compute_indicators_for(timezone.localdate())
    district = next(v for v in values if v.indicator == EVALUATION_COVERAGE and v.scope == Scope.district())
    assert (district.numerator, district.denominator) == (2, 3)
    assert format_indicator_value(EVALUATION_COVERAGE, district.value) == expected


def test_the_indicator_counts_each_subdistrict(plan, kg_a, kg_c):
    values = compute_indicators_for(timezone.localdate())
    by_subdistrict = {
        v.scope.subdistrict_id: (v.numerator, v.denominator)
        for v in values
        if v.indicator == EVALUATION_COVERAGE and v.scope.type == "subdistrict"
    }
    assert by_subdistrict[kg_a.subdistrict_id] == (2, 2)  # 望京: kg_a and kg_b
    assert by_subdistrict[kg_c.subdistrict_id] == (0, 1)
