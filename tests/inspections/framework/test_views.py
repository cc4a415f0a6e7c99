"""The handbook pages: the bureau copies, edits and publishes a district handbook in the browser,
drafts and their editing stay hidden from everyone else, and the list page renders for every
persona at a fixed number of queries."""

import pytest
from django.urls import reverse

from inspections import services
from inspections.choices import FrameworkStatus
from inspections.models import AssessmentPoint, FrameworkVersion, KeyIndicator
from tests.conftest import client_for

from ..conftest import queries
from ..factories import add_kindergartens_with_assessments, cycle, national_framework

pytestmark = pytest.mark.django_db


def test_it_lets_the_bureau_build_and_publish_a_handbook_in_the_browser(client, bureau_official):
    client_for(client, bureau_official)
    v1 = national_framework()
    response = client.post(reverse("inspections:framework_copy", args=[v1.pk]), {"name": "朝阳区评估手册"})
    draft = FrameworkVersion.objects.get(name="朝阳区评估手册")
    assert response.url == draft.get_absolute_url()
    indicator = KeyIndicator.objects.get(area__framework_version=draft, name="师幼互动")
    add = reverse("inspections:point_add", args=[draft.pk])
    assert client.get(f"{add}?indicator={indicator.pk}").status_code == 200
    response = client.post(
        add,
        {
            "key_indicator": indicator.pk,
            "text": "教师关注幼儿的兴趣和需要",
            "guidance": "观察半日活动",
            "evidence_expected": "观察记录",
            "origin": "district",
            "source": "",
            "rating_scale": draft.rating_scale_id,
        },
    )
    assert response.status_code == 302
    point = AssessmentPoint.objects.get(key_indicator=indicator)
    response = client.post(
        add,
        {"key_indicator": indicator.pk, "text": "原文", "origin": "official", "rating_scale": draft.rating_scale_id},
    )
    assert response.status_code == 200 and "必须注明出处" in response.content.decode()
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "教师关注幼儿的兴趣和需要" in page and "发布为正式版本" in page
    client.post(reverse("inspections:framework_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.PUBLISHED
    # Published: the edit pages send the user back, the point is unchanged.
    response = client.post(
        reverse("inspections:point_edit", args=[point.pk]),
        {"key_indicator": indicator.pk, "text": "改", "origin": "district", "rating_scale": draft.rating_scale_id},
    )
    assert response.status_code == 302
    assert AssessmentPoint.objects.get(pk=point.pk).text == "教师关注幼儿的兴趣和需要"


def test_it_hides_handbook_drafts_and_editing_from_everyone_but_the_bureau(client, bureau_official, personas):
    draft = services.framework_version_copy(source=national_framework(), user=bureau_official, name="草稿")
    for name in ("wangjing_official", "director_a", "inspector"):
        client.logout()
        client_for(client, personas[name])
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(national_framework().get_absolute_url()).status_code == 200
        assert client.post(reverse("inspections:framework_copy", args=[national_framework().pk])).status_code == 403


def test_it_lets_the_bureau_reorder_delete_and_discard_draft_points(client, bureau_official):
    draft = services.framework_version_copy(source=national_framework(), user=bureau_official, name="草稿")
    indicator = KeyIndicator.objects.get(area__framework_version=draft, name="家园共育")
    first = services.assessment_point_create(key_indicator=indicator, user=bureau_official, text="甲")
    second = services.assessment_point_create(key_indicator=indicator, user=bureau_official, text="乙")
    client_for(client, bureau_official)
    assert client.get(reverse("inspections:framework_edit", args=[draft.pk])).status_code == 200
    assert client.get(reverse("inspections:point_edit", args=[first.pk])).status_code == 200
    client.post(reverse("inspections:point_move", args=[second.pk]), {"direction": "up"})
    assert list(indicator.points.order_by("order").values_list("text", flat=True)) == ["乙", "甲"]
    client.post(reverse("inspections:point_delete", args=[first.pk]))
    assert list(indicator.points.values_list("text", flat=True)) == ["乙"]
    client.post(reverse("inspections:framework_delete", args=[draft.pk]))
    assert not FrameworkVersion.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize(
    "name",
    ["framework_list"],
)
@pytest.mark.parametrize("persona", ["bureau_official", "wangjing_official", "director_a", "inspector"])
def test_it_renders_every_list_page_for_every_persona(client, evaluation_cycle, personas, name, persona):
    client_for(client, personas[persona])
    response = client.get(reverse(f"inspections:{name}"), follow=True)
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["framework_list"])
def test_it_pins_list_page_queries(client, bureau_official, name):
    evaluation_cycle = cycle(by=bureau_official)
    url = reverse(f"inspections:{name}", args=[evaluation_cycle.pk] if name == "cycle_detail" else [])
    client_for(client, bureau_official)
    add_kindergartens_with_assessments(evaluation_cycle, 2)
    few = queries(client, url)
    add_kindergartens_with_assessments(evaluation_cycle, 6)
    assert queries(client, url) == few
