"""The dashboard's quality-evaluation panel: the current cycle's coverage and the issue lists,
within the viewer's scope."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from inspections.choices import IssueStatus
from tests.conftest import client_for
from tests.inspections import factories as f

pytestmark = pytest.mark.django_db

# The panel is fetched apart from the dashboard page (reports.views.DashboardPanelView).
DASHBOARD = "/dashboard/panels/quality/"


@pytest.fixture
def plan(kg_a, kg_b, kg_c, director_a):
    """This year's cycle: kg_a (望京) evaluated, kg_b (望京) planned last year and not evaluated,
    kg_c (双井) this year; one overdue issue at kg_c, one open at kg_a, one verified at kg_b."""
    this_year = timezone.localdate().year
    cycle = f.cycle(start_year=this_year - 1)
    f.assign(cycle, kg_a, year=this_year)
    f.assign(cycle, kg_b, year=this_year - 1)
    f.assign(cycle, kg_c, year=this_year)
    f.external_evaluation(cycle, kg_a, status="published", value=3)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    f.quality_issue(cycle, kg_c, deadline=yesterday)
    f.quality_issue(cycle, kg_a)
    f.quality_issue(cycle, kg_b, deadline=yesterday, status=IssueStatus.VERIFIED)
    return cycle


def test_it_shows_the_districts_cycle_coverage_and_issues_to_the_bureau(client, bureau_official, plan):
    panel = client_for(client, bureau_official).get(DASHBOARD).context["quality"]
    assert panel.cycle == plan
    assert panel.coverage["assigned"] == 3
    assert panel.coverage["due_this_year"] == 2
    assert panel.coverage["overdue"] == 1  # kg_b: planned last year, not evaluated
    assert (panel.open_issues, panel.overdue_issues) == (2, 1)


def test_it_counts_the_evaluated_share_cut_not_rounded(client, bureau_official, plan):
    panel = client_for(client, bureau_official).get(DASHBOARD).context["quality"]
    assert panel.coverage["evaluated"] == 1
    assert panel.evaluated_share == Decimal("33.3")  # 1 of 3, cut
    html = client.get(DASHBOARD).content.decode()
    assert "本周期评估覆盖" in html and "33.3%" in html


def test_it_counts_only_the_officials_own_subdistrict(client, wangjing_official, plan):
    client_for(client, wangjing_official)
    response = client.get(f"{DASHBOARD}?subdistrict={wangjing_official.subdistrict_id}")
    panel = response.context["quality"]
    assert panel.coverage["assigned"] == 2  # kg_a and kg_b; not 双井's kg_c
    assert (panel.open_issues, panel.overdue_issues) == (1, 0)


def test_it_says_when_there_is_no_cycle_yet(client, bureau_official):
    html = client_for(client, bureau_official).get(DASHBOARD).content.decode()
    assert "尚未建立评估周期" in html
