"""Class-size limits from domain.md §2 (幼儿园工作规程, 2016); the toddler limit is uncertain there."""

import datetime

from django.db import migrations

LIMITS = [
    ("small", 25, "《幼儿园工作规程》（2016）"),
    ("middle", 30, "《幼儿园工作规程》（2016）"),
    ("senior", 35, "《幼儿园工作规程》（2016）"),
    ("mixed", 30, "《幼儿园工作规程》（2016）"),
    ("toddler", 20, "托育机构设置标准（托大班，幼儿园适用性待确认）"),
]


def seed(apps, schema_editor):
    ClassSizeLimit = apps.get_model("enrollment", "ClassSizeLimit")
    for class_type, max_children, source in LIMITS:
        ClassSizeLimit.objects.get_or_create(
            class_type=class_type,
            valid_from=datetime.date(2016, 3, 1),
            defaults={"max_children": max_children, "source": source},
        )


def unseed(apps, schema_editor):
    apps.get_model("enrollment", "ClassSizeLimit").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("enrollment", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
