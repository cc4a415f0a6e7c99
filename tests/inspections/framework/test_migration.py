"""The data migration ships the national guide's structure exactly as domain.md §4 lists it."""

import pytest

from inspections.choices import FrameworkStatus
from inspections.models import AssessmentPoint, FrameworkVersion, KeyIndicator, RatingLevel

from ..factories import national_framework

# shared/docs/domain.md §4, 保育教育质量评估指南 (MoE 2022): 5 areas, 15 key indicators.
EXPECTED = {
    "办园方向": ["党建工作", "品德启蒙", "科学理念"],
    "保育与安全": ["卫生保健", "生活照料", "安全防护"],
    "教育过程": ["活动组织", "师幼互动", "家园共育"],
    "环境创设": ["空间设施", "玩具材料"],
    "教师队伍": ["师德师风", "人员配备", "专业发展", "激励机制"],
}

pytestmark = pytest.mark.django_db


def test_it_seeds_exactly_five_areas_and_fifteen_key_indicators_in_order():
    version = national_framework()
    areas = version.structure()
    assert [a.name for a in areas] == list(EXPECTED)
    assert {a.name: [i.name for i in a.indicator_list] for a in areas} == EXPECTED
    numbers = [i.order for a in areas for i in a.indicator_list]
    assert numbers == list(range(1, 16))
    assert KeyIndicator.objects.filter(area__framework_version=version).count() == 15


def test_it_publishes_version_one_with_its_source_and_no_invented_points():
    version = national_framework()
    assert version.status == FrameworkStatus.PUBLISHED
    assert version.name == "《幼儿园保育教育质量评估指南》（教育部 2022）"
    assert "教育部" in version.source
    assert FrameworkVersion.objects.count() == 1
    # The 48 points' official wording could not be confirmed: none are shipped.
    assert not AssessmentPoint.objects.exists()


def test_it_seeds_a_four_level_rating_scale_labelled_as_the_portals_default():
    scale = national_framework().rating_scale
    assert list(RatingLevel.objects.filter(scale=scale).values_list("value", flat=True)) == [1, 2, 3, 4]
    assert "默认" in scale.name
