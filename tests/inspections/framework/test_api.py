"""The handbook through the API: published versions nested with their areas, indicators, points
and rating scale; drafts hidden from directors; read only."""

import pytest

from inspections import services

pytestmark = pytest.mark.django_db


def test_it_serves_framework_versions_nested_and_hides_drafts_from_directors(
    api_client, evaluation_cycle, bureau_official, director_a
):
    from ..factories import national_framework

    services.framework_version_copy(source=national_framework(), user=bureau_official, name="草稿")
    api_client.force_authenticate(director_a)
    response = api_client.get("/api/framework-versions/")
    assert response.status_code == 200
    assert {v["status"] for v in response.data["results"]} == {"published"}
    handbook = next(v for v in response.data["results"] if v["id"] == evaluation_cycle.framework_version_id)
    assert [a["name"] for a in handbook["areas"]] == ["办园方向", "保育与安全", "教育过程", "环境创设", "教师队伍"]
    assert sum(len(i["points"]) for a in handbook["areas"] for i in a["indicators"]) == 15
    assert [lv["value"] for lv in handbook["rating_scale"]["levels"]] == [1, 2, 3, 4]
    api_client.force_authenticate(bureau_official)
    assert len(api_client.get("/api/framework-versions/").data["results"]) == 3
    assert api_client.post("/api/framework-versions/", {}).status_code == 405
