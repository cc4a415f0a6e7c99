"""Targets of the safety indicators (safety/indicators.py), as data like reports' own targets.

The "three 100 %" are a national requirement from 2020 onwards (domain.md §3): professional
guards, closed management, one-button alarm and video linked to the police; every operating
kindergarten meets them. Overdue hazards and open major hazards: at most 0. They stay in force
until the bureau enters a newer version.
"""

import datetime
from decimal import Decimal

from django.db import migrations

THREE_100 = "平安校园“三个100%”（国家要求，2020 年起；domain.md §3）"
CLEARED = "隐患动态清零（朝阳区）"
TARGETS = [
    ("guard_coverage", "national", "gte", "1", datetime.date(2020, 1, 1), THREE_100),
    ("alarm_coverage", "national", "gte", "1", datetime.date(2020, 1, 1), THREE_100),
    ("video_coverage", "national", "gte", "1", datetime.date(2020, 1, 1), THREE_100),
    ("closed_campus_coverage", "national", "gte", "1", datetime.date(2020, 1, 1), THREE_100),
    ("safety_full_coverage", "national", "gte", "1", datetime.date(2020, 1, 1), THREE_100),
    ("hazards_overdue", "chaoyang", "lte", "0", datetime.date(2021, 1, 1), CLEARED),
    ("major_hazards_open", "chaoyang", "lte", "0", datetime.date(2021, 1, 1), CLEARED),
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
    apps.get_model("reports", "Target").objects.filter(indicator__in=[t[0] for t in TARGETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("safety", "0002_seed_rule_set"), ("reports", "0005_indicator_codes_open")]

    operations = [migrations.RunPython(seed, unseed)]
