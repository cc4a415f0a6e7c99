"""The governance indicators and the dashboard panel."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from governance import services
from governance.indicators import RECOGNITIONS_EXPIRING, compute_governance_figures
from reports import registry
from reports.registry import IndicatorContext
from reports.scopes import Scope
from tests.conftest import client_for

from .conftest import recognised

pytestmark = pytest.mark.django_db


def expiring_on(day: datetime.date, *scopes) -> list[int]:
    scopes = scopes or (Scope.district(),)
    figures = compute_governance_figures(IndicatorContext(day=day, scopes=scopes, only=None, targets={}))
    return [figures[s][RECOGNITIONS_EXPIRING].numerator for s in scopes]


def test_the_indicators_are_registered_with_the_engine_with_their_targets(db):
    from reports.models import Target

    assert {"recognitions_expiring", "fee_anomalies_open"} <= set(registry.codes())
    assert any(panel.name == "recognitions" for panel in registry.panels())
    targets = Target.objects.filter(indicator__in=["recognitions_expiring", "fee_anomalies_open"])
    assert sorted((t.indicator, t.value, t.comparison) for t in targets) == [
        ("fee_anomalies_open", 0, "lte"),
        ("recognitions_expiring", 0, "lte"),
    ]


def test_a_recognition_counts_from_90_days_before_expiry_until_renewed(
    kg_p, director_p, bureau_official, wangjing, shuangjing
):
    recognition = recognised(kg_p, director_p, bureau_official)  # 2025-10-15 … 2028-10-15
    expiry = datetime.date(2028, 10, 15)
    assert expiring_on(expiry - datetime.timedelta(days=91)) == [0]
    assert expiring_on(expiry - datetime.timedelta(days=90)) == [1]
    assert expiring_on(
        expiry + datetime.timedelta(days=30), Scope.of_subdistrict(wangjing), Scope.of_subdistrict(shuangjing)
    ) == [1, 0]
    services.recognition_renew(recognition=recognition, user=bureau_official, day=expiry - datetime.timedelta(days=10))
    assert expiring_on(expiry) == [0]


def test_the_dashboard_panel_lists_expiring_recognitions(client, kg_p, director_p, bureau_official):
    recognised(kg_p, director_p, bureau_official, valid_from=datetime.date.today() - datetime.timedelta(days=3 * 365))
    page = client_for(client, bureau_official).get(reverse("reports:dashboard_panel", args=["recognitions"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="recognition-panel"' in text and kg_p.name in text
