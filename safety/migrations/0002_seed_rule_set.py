"""The first safety rule set, from domain.md §3 (Beijing's safe-campus standard, 2018).

These numbers are POLICY VALUES THE BUREAU CHANGES: guard counts, retention days, drills and
hazard deadlines by severity. They are seeded here as data, and a change of policy is a new
`SafetyRuleSet` version entered by the bureau (this one then gets a `valid_to`), never an edit of
this migration or of code.

- guards: at least 3 full-time guards for up to 1,000 people (staff + children), +1 per further
  500 people (boarding adds more: not modelled yet);
- at least 1 full-time safety manager;
- footage kept ≥ 30 days, intrusion-alarm logs ≥ 30 days, access-control logs ≥ 180 days;
- an evacuation drill every quarter; at least two carers with the children;
- hazard deadlines: general 30 days, major 7 days (the district's working values; to be
  confirmed by the bureau).
"""

import datetime

from django.db import migrations

RULE_SET = {
    "name": "北京市中小学幼儿园安全防范标准（2018）",
    "source": "北京市平安校园建设标准（2018）；domain.md §3；隐患整改期限为区教委工作值，待确认",
    "valid_from": datetime.date(2018, 1, 1),
    "guard_bands": [[1000, 3]],
    "guards_step_people": 500,
    "guards_step": 1,
    "min_safety_managers": 1,
    "video_retention_days": 30,
    "intrusion_log_days": 30,
    "access_log_days": 180,
    "drills_per_quarter": 1,
    "min_carers": 2,
    "general_deadline_days": 30,
    "major_deadline_days": 7,
}


def seed(apps, schema_editor):
    SafetyRuleSet = apps.get_model("safety", "SafetyRuleSet")
    values = dict(RULE_SET)
    SafetyRuleSet.objects.get_or_create(valid_from=values.pop("valid_from"), defaults=values)


def unseed(apps, schema_editor):
    apps.get_model("safety", "SafetyRuleSet").objects.filter(valid_from=RULE_SET["valid_from"]).delete()


class Migration(migrations.Migration):
    dependencies = [("safety", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
