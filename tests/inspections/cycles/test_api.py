"""The cycle plan through the API: coverage and assignments within the caller's scope."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_gives_cycle_coverage_within_the_callers_scope(api_client, evaluation_cycle, wangjing_official):
    api_client.force_authenticate(wangjing_official)
    response = api_client.get(f"/api/cycles/{evaluation_cycle.pk}/coverage/")
    assert response.status_code == 200
    assert [r["subdistrict_name"] for r in response.data["subdistricts"]] == ["望京"]
    assert response.data["totals"]["assigned"] == 2
    assert len(api_client.get("/api/cycle-assignments/").data["results"]) == 2
