"""The district handbook: drafts are edited, published versions are frozen, past assessments
keep the version they were made against."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections import services
from inspections.choices import FrameworkStatus, PointOrigin
from inspections.models import Area, AssessmentPoint, FrameworkVersion, KeyIndicator, Locked, SelfAssessmentRating

from ..factories import assign, cycle, handbook, national_framework, submitted

pytestmark = pytest.mark.django_db


def test_it_copies_a_published_version_into_a_numbered_draft_with_the_same_structure(bureau_official):
    draft = services.framework_version_copy(source=national_framework(), user=bureau_official, name="区评估手册")
    assert draft.status == FrameworkStatus.DRAFT
    assert draft.version == 2
    assert draft.based_on == national_framework()
    assert [i.name for a in draft.structure() for i in a.indicator_list] == [
        i.name for a in national_framework().structure() for i in a.indicator_list
    ]


def test_it_lets_only_the_bureau_copy_or_publish(director_a, wangjing_official, inspector):
    for user in (director_a, wangjing_official, inspector, None):
        with pytest.raises(PermissionDenied):
            services.framework_version_copy(source=national_framework(), user=user, name="x")


def test_it_refuses_to_publish_a_draft_without_points(bureau_official):
    draft = services.framework_version_copy(source=national_framework(), user=bureau_official, name="空手册")
    with pytest.raises(ValidationError):
        services.framework_version_publish(version=draft, user=bureau_official)


def test_it_adds_edits_reorders_and_deletes_points_in_a_draft(bureau_official):
    draft = services.framework_version_copy(source=national_framework(), user=bureau_official, name="区评估手册")
    indicator = KeyIndicator.objects.get(area__framework_version=draft, name="师幼互动")
    first, second, third = (
        services.assessment_point_create(key_indicator=indicator, user=bureau_official, text=f"要点{n}")
        for n in (1, 2, 3)
    )
    services.assessment_point_move(point=third, user=bureau_official, offset=-1)
    assert list(indicator.points.order_by("order").values_list("text", flat=True)) == ["要点1", "要点3", "要点2"]
    services.assessment_point_update(
        point=first, user=bureau_official, key_indicator=indicator, text="要点一", guidance="看师幼对话"
    )
    services.assessment_point_delete(point=second, user=bureau_official)
    assert list(indicator.points.order_by("order").values_list("text", flat=True)) == ["要点一", "要点3"]
    assert first.history.count() == 2  # created, then edited: every change is attributable
    assert first.history.first().history_user == bureau_official


def test_it_requires_a_source_for_official_wording(bureau_official):
    draft = services.framework_version_copy(source=national_framework(), user=bureau_official, name="区评估手册")
    indicator = KeyIndicator.objects.filter(area__framework_version=draft).first()
    with pytest.raises(ValidationError) as error:
        services.assessment_point_create(
            key_indicator=indicator, user=bureau_official, text="某要点", origin=PointOrigin.OFFICIAL
        )
    assert "source" in error.value.message_dict


def test_it_freezes_published_versions_for_services_models_and_querysets(bureau_official):
    version = handbook(by=bureau_official)
    point = version.points().first()
    with pytest.raises(Locked):
        services.assessment_point_update(
            point=point, user=bureau_official, key_indicator=point.key_indicator, text="改"
        )
    with pytest.raises(Locked):
        services.assessment_point_delete(point=point, user=bureau_official)
    with pytest.raises(Locked):
        services.assessment_point_create(key_indicator=point.key_indicator, user=bureau_official, text="新增")
    point.text = "直接改"
    with pytest.raises(Locked):
        point.save()
    with pytest.raises(Locked):
        AssessmentPoint.objects.filter(pk=point.pk).update(text="批量改")
    with pytest.raises(Locked):
        Area.objects.filter(framework_version=version).delete()
    version.name = "改名"
    with pytest.raises(Locked):
        version.save()
    with pytest.raises(Locked):
        FrameworkVersion.objects.get(pk=version.pk).delete()
    assert AssessmentPoint.objects.get(pk=point.pk).text.startswith("测试要点")


def test_it_publishes_a_new_version_without_changing_past_assessments(bureau_official, kg_a, director_a):
    old = handbook(by=bureau_official)
    evaluation_cycle = cycle(version=old, by=bureau_official)
    assign(evaluation_cycle, kg_a)
    assessment = submitted(evaluation_cycle, kg_a, director_a)
    before = [
        (r.point.text, r.point.key_indicator.name, r.level.value, r.evidence_note)
        for r in SelfAssessmentRating.objects.filter(assessment=assessment).select_related(
            "point__key_indicator", "level"
        )
    ]

    draft = services.framework_version_copy(source=old, user=bureau_official, name="区评估手册（修订）")
    copied = draft.points().first()
    services.assessment_point_update(
        point=copied, user=bureau_official, key_indicator=copied.key_indicator, text="修订后的表述"
    )
    services.assessment_point_delete(point=draft.points().last(), user=bureau_official)
    new = services.framework_version_publish(version=draft, user=bureau_official)

    assert new.version == old.version + 1 and new.is_published
    assessment.refresh_from_db()
    assert assessment.framework_version == old
    after = [
        (r.point.text, r.point.key_indicator.name, r.level.value, r.evidence_note)
        for r in SelfAssessmentRating.objects.filter(assessment=assessment).select_related(
            "point__key_indicator", "level"
        )
    ]
    assert after == before
    assert old.points().count() == 15
    assert new.points().count() == 14
    assert copied.carried_from_id == old.points().first().pk
