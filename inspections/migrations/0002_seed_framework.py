"""Seeds version 1 of the evaluation framework: the structure of the Ministry of Education's
《幼儿园保育教育质量评估指南》(2022) — its 5 areas and 15 key indicators — and a default
four-level rating scale.

Names come from shared/docs/domain.md §4 (structure confirmed there). The official wording
of the guide's 48 assessment points could not be confirmed, so none are shipped: the bureau
copies this version into its district handbook, adds the points with their sources, and
publishes that. The rating scale is not part of the guide; it is the portal's default and is
labelled as such.
"""

from django.db import migrations
from django.utils import timezone

FRAMEWORK_NAME = "《幼儿园保育教育质量评估指南》（教育部 2022）"
FRAMEWORK_SOURCE = "教育部《幼儿园保育教育质量评估指南》（2022 年）：评估方面与关键指标"
FRAMEWORK_DESCRIPTION = (
    "国家指南的结构：5 个评估方面、15 项关键指标。指南共 48 个考查要点，其原文未收录于本平台，"
    "由区教委在区级评估手册中维护（复制本版本为草稿后添加考查要点并注明出处，再发布为新版本）。"
)

AREAS = [
    ("办园方向", ["党建工作", "品德启蒙", "科学理念"]),
    ("保育与安全", ["卫生保健", "生活照料", "安全防护"]),
    ("教育过程", ["活动组织", "师幼互动", "家园共育"]),
    ("环境创设", ["空间设施", "玩具材料"]),
    ("教师队伍", ["师德师风", "人员配备", "专业发展", "激励机制"]),
]

SCALE_NAME = "四级评分（平台默认）"
SCALE_DESCRIPTION = "平台默认的四级评分，非《指南》规定；区教委可在系统管理中另建评分等级表。"
LEVELS = [
    (1, "需改进", "存在明显问题，需要限期改进"),
    (2, "基本达到", "基本符合要求，部分方面有待加强"),
    (3, "良好", "符合要求，做法较为规范"),
    (4, "优秀", "全面达到要求，有示范作用"),
]


def seed(apps, schema_editor):
    RatingScale = apps.get_model("inspections", "RatingScale")
    RatingLevel = apps.get_model("inspections", "RatingLevel")
    FrameworkVersion = apps.get_model("inspections", "FrameworkVersion")
    Area = apps.get_model("inspections", "Area")
    KeyIndicator = apps.get_model("inspections", "KeyIndicator")

    scale, _ = RatingScale.objects.get_or_create(
        name=SCALE_NAME, defaults={"description": SCALE_DESCRIPTION, "source": "平台默认设置"}
    )
    for value, label, description in LEVELS:
        RatingLevel.objects.get_or_create(scale=scale, value=value, defaults={"label": label, "description": description})

    now = timezone.now()
    version, created = FrameworkVersion.objects.get_or_create(
        version=1,
        defaults={
            "name": FRAMEWORK_NAME,
            "status": "published",
            "rating_scale": scale,
            "source": FRAMEWORK_SOURCE,
            "description": FRAMEWORK_DESCRIPTION,
            "created_at": now,
            "published_at": now,
        },
    )
    if not created:
        return
    number = 0
    for area_order, (area_name, indicators) in enumerate(AREAS, start=1):
        area = Area.objects.create(framework_version=version, order=area_order, name=area_name)
        for indicator_name in indicators:
            number += 1  # key indicators are numbered 1–15 across the guide
            KeyIndicator.objects.create(area=area, order=number, name=indicator_name)


def unseed(apps, schema_editor):
    FrameworkVersion = apps.get_model("inspections", "FrameworkVersion")
    FrameworkVersion.objects.filter(version=1).delete()
    apps.get_model("inspections", "RatingScale").objects.filter(name=SCALE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
