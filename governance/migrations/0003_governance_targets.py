"""Targets of the governance indicators (governance/indicators.py), as data like reports' own targets.

Recognitions lapsed or lapsing without renewal, and open fee anomalies: at most 0 (the district's
working targets). They stay in force until the bureau enters a newer version.
"""

import datetime
from decimal import Decimal

from django.db import migrations

SOURCE = "普惠认定及时延续、收费异常动态清零（朝阳区工作目标）"
TARGETS = [
    ("recognitions_expiring", "chaoyang", "lte", "0", datetime.date(2021, 1, 1), SOURCE),
    ("fee_anomalies_open", "chaoyang", "lte", "0", datetime.date(2021, 1, 1), SOURCE),
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
    dependencies = [("governance", "0002_seed_policies"), ("reports", "0005_indicator_codes_open")]

    operations = [migrations.RunPython(seed, unseed)]
