"""A new version of the scorecard method with the plan's two missing items (plan 四).

- ``village_centre_missing`` (kindergartens app): an area office (地区/乡) without a licensed
  public village centre kindergarten counts 1 and loses the item's 10 points (cap 1); a street
  has no value, so the item is "no data" there and neither earns nor loses.
- ``evaluation_coverage`` (inspections app, the one definition of the three-year cycle's
  coverage): a share, scored against a coverage of 100 % (the item's own target, 1). Until an
  app registers the code and the nightly job stores snapshots of it, the item is "no data".

The other weights are scaled so that the method still totals 100 points. The 2021 version ends on
2026-08-31 (its cards keep it); the new one applies from school year 2026–2027. The target of the
new count (0, "≤") is seeded beside it, as 0006 does for ``estate_not_in_place``.
"""

import datetime

from django.db import migrations

PLAN = "《朝阳区“十四五”学前教育发展提升行动计划》"
OLD_NAME = "街道学前教育工作考核办法（2021 版）"
NEW_NAME = "街道学前教育工作考核办法（2026 版）"
NEW_FROM = datetime.date(2026, 9, 1)
ITEMS = [
    {"indicator": "gross_enrollment_rate", "weight": 15, "direction": "higher", "rule": "ratio_to_target"},
    {"indicator": "inclusive_coverage", "weight": 15, "direction": "higher", "rule": "ratio_to_target"},
    {"indicator": "public_share", "weight": 10, "direction": "higher", "rule": "ratio_to_target"},
    {"indicator": "forecast_shortfall", "weight": 10, "direction": "lower", "rule": "count_to_cap", "target": 0, "cap": 500},
    {"indicator": "unlicensed_open_cases", "weight": 10, "direction": "lower", "rule": "count_to_cap", "target": 0, "cap": 5},
    {"indicator": "hazards_overdue", "weight": 10, "direction": "lower", "rule": "count_to_cap", "target": 0, "cap": 10},
    {"indicator": "estate_not_in_place", "weight": 10, "direction": "lower", "rule": "count_to_cap", "target": 0, "cap": 5},
    {"indicator": "village_centre_missing", "weight": 10, "direction": "lower", "rule": "count_to_cap", "target": 0, "cap": 1},
    {"indicator": "evaluation_coverage", "weight": 10, "direction": "higher", "rule": "ratio_to_target", "target": 1},
]  # fmt: skip


def seed(apps, schema_editor):
    ScorecardMethod = apps.get_model("reports", "ScorecardMethod")
    Target = apps.get_model("reports", "Target")
    ScorecardMethod.objects.filter(name=OLD_NAME, valid_to__isnull=True).update(
        valid_to=NEW_FROM - datetime.timedelta(days=1)
    )
    ScorecardMethod.objects.get_or_create(
        name=NEW_NAME,
        valid_from=NEW_FROM,
        defaults={
            "items": ITEMS,
            "source": PLAN + "（四、保障措施：乡村中心园建设、督导评估纳入街道考核）",
        },
    )
    Target.objects.get_or_create(
        indicator="village_centre_missing",
        authority="chaoyang",
        valid_from=datetime.date(2021, 1, 1),
        defaults={"comparison": "lte", "value": 0, "source": PLAN + "（推进乡村中心园建设）"},
    )


def unseed(apps, schema_editor):
    ScorecardMethod = apps.get_model("reports", "ScorecardMethod")
    ScorecardMethod.objects.filter(name=NEW_NAME, valid_from=NEW_FROM).delete()
    ScorecardMethod.objects.filter(name=OLD_NAME, valid_to=NEW_FROM - datetime.timedelta(days=1)).update(valid_to=None)
    apps.get_model("reports", "Target").objects.filter(indicator="village_centre_missing").delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_computationrun_holder")]

    operations = [migrations.RunPython(seed, unseed)]
