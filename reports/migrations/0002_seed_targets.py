"""Targets from domain.md §1: Chaoyang's 2025 plan and the national county-level standard.

They stay in force until the bureau enters a newer version (valid_to left open).
"""

import datetime
from decimal import Decimal

from django.db import migrations

PLAN = "《朝阳区“十四五”学前教育发展提升行动计划》"
NATIONAL = "教育部《县域学前教育普及普惠督导评估办法》（2020）"
TARGETS = [
    ("gross_enrollment_rate", "chaoyang", "gte", "0.90", datetime.date(2021, 1, 1), PLAN),
    ("inclusive_coverage", "chaoyang", "gte", "0.90", datetime.date(2021, 1, 1), PLAN),
    ("public_share", "chaoyang", "gte", "0.50", datetime.date(2021, 1, 1), PLAN),
    ("unlicensed_open", "chaoyang", "lte", "0", datetime.date(2021, 1, 1), PLAN + "（无证园动态清零）"),
    ("gross_enrollment_rate", "national", "gte", "0.85", datetime.date(2020, 2, 1), NATIONAL),
    ("inclusive_coverage", "national", "gte", "0.80", datetime.date(2020, 2, 1), NATIONAL),
    ("public_share", "national", "gte", "0.50", datetime.date(2020, 2, 1), NATIONAL),
    ("class_size_compliance", "national", "gte", "0.85", datetime.date(2020, 2, 1), NATIONAL + "（待核实）"),
]


def seed(apps, schema_editor):
    Target = apps.get_model("reports", "Target")
    for indicator, authority, comparison, value, valid_from, source in TARGETS:
        Target.objects.get_or_create(
            indicator=indicator,
            authority=authority,
            valid_from=valid_from,
            defaults={"comparison": comparison, "value": Decimal(value), "source": source},
        )


def unseed(apps, schema_editor):
    apps.get_model("reports", "Target").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
