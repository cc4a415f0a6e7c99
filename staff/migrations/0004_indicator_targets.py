"""Targets of the staff indicators (staff/indicators.py), as data like reports' own targets.

- staffing_compliance ≥ 100 % (Chaoyang, from 2021: the plan's "staffing to standard ratios");
- children_per_fulltime_teacher ≤ 15, teacher_certified_rate and principal_certified_rate ≥ 100 %
  (the 2020 county evaluation of universal, inclusive preschool; domain.md §2, uncertain source,
  consistent across two).
certificates_expiring is a count to act on, without a target. The targets stay in force until the
bureau enters a newer version.
"""

import datetime
from decimal import Decimal

from django.db import migrations

PLAN = "朝阳区“十四五”学前教育行动计划：按标准配齐教职工"
COUNTY = "县域学前教育普及普惠督导评估办法（2020）；domain.md §2"
TARGETS = [
    ("staffing_compliance", "chaoyang", "gte", "1", datetime.date(2021, 1, 1), PLAN),
    ("children_per_fulltime_teacher", "national", "lte", "15", datetime.date(2020, 1, 1), COUNTY),
    ("teacher_certified_rate", "national", "gte", "1", datetime.date(2020, 1, 1), COUNTY),
    ("principal_certified_rate", "national", "gte", "1", datetime.date(2020, 1, 1), COUNTY),
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
    dependencies = [("staff", "0003_development_policy"), ("reports", "0005_indicator_codes_open")]

    operations = [migrations.RunPython(seed, unseed)]
