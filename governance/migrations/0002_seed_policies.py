"""The first recognition, fee and subsidy policies, from domain.md §1 and §7.

These are POLICY VALUES THE BUREAU CHANGES: a change is a new version entered by the bureau
(the old one then gets a `valid_to`), never an edit of this migration or of code.

- recognition: the conditions checked on an application, a 3-year validity and a 90-day
  warning — the district's working values (uncertain);
- fee caps for the care-and-education fee (保育教育费, per child and month): public first grade
  ≤ ¥750 and model ≤ ¥900 (domain.md §7, uncertain), second and third grade and inclusive private
  kindergartens are working values (uncertain);
- the senior-year care-and-education fee waiver from autumn 2025 (confirmed);
- Beijing's 2018 subsidy for inclusive kindergartens: ¥1,000 per child and month for model and
  first-grade kindergartens, ¥700 for second and third grade, ¥10,000 per new place, rent ¥5 per
  m² and day (confirmed).
"""

import datetime
from decimal import Decimal

from django.db import migrations

POLICY = {
    "name": "朝阳区普惠性民办幼儿园认定规则（工作值）",
    "source": "domain.md §1；认定条件、有效期和预警天数为区教委工作值，待确认",
    "valid_from": datetime.date(2018, 1, 1),
    "uncertain": True,
    "validity_years": 3,
    "warning_days": 90,
    "conditions": [
        "依法取得办园许可，登记为非营利性民办幼儿园",
        "面向社会公开招生，不以考试或测评选拔幼儿",
        "保育教育费执行政府指导价，收费项目和标准公示",
        "办园条件达到本市办园标准，班额符合规定",
        "教职工配备符合标准，教师持证上岗",
        "设立收费专用账户，财务管理规范并接受审计",
        "近三年无重大安全责任事故和违规办园行为",
    ],
}
CAP_SOURCE = "domain.md §7（限价为工作值，待确认）"
CAPS = [  # (kind, grade, monthly cap of the care-and-education fee)
    ("public", "model", "900"),
    ("public", "first", "750"),
    ("public", "second", "600"),
    ("public", "third", "450"),
    ("inclusive_private", "model", "750"),
    ("inclusive_private", "first", "750"),
    ("inclusive_private", "second", "750"),
    ("inclusive_private", "third", "750"),
]
CAPS_FROM = datetime.date(2018, 9, 1)
WAIVER = {
    "name": "学前教育大班保育教育费免除",
    "source": "国家逐步推行免费学前教育政策（2025 年秋季学期起）；domain.md §7",
    "valid_from": datetime.date(2025, 9, 1),
    "uncertain": False,
}
SUBSIDY = {
    "name": "北京市普惠性幼儿园补助标准（2018）",
    "source": "北京市普惠性幼儿园扶持办法（2018）；domain.md §7",
    "valid_from": datetime.date(2018, 1, 1),
    "uncertain": False,
    "per_child_model_first": Decimal("1000"),
    "per_child_second_third": Decimal("700"),
    "per_new_place": Decimal("10000"),
    "rent_per_m2_day": Decimal("5"),
}


def seed(apps, schema_editor):
    def get_or_create(model_name, key, values):
        values = dict(values)
        lookup = {k: values.pop(k) for k in key}
        apps.get_model("governance", model_name).objects.get_or_create(**lookup, defaults=values)

    get_or_create("RecognitionPolicy", ["valid_from"], POLICY)
    for kind, grade, cap in CAPS:
        get_or_create(
            "FeeCap",
            ["kind", "grade", "item", "valid_from"],
            {
                "kind": kind,
                "grade": grade,
                "item": "care_education",
                "valid_from": CAPS_FROM,
                "monthly_cap": Decimal(cap),
                "source": CAP_SOURCE,
                "uncertain": True,
            },
        )
    get_or_create("SeniorYearWaiver", ["valid_from"], WAIVER)
    get_or_create("SubsidyRule", ["valid_from"], SUBSIDY)


def unseed(apps, schema_editor):
    for name, day in (
        ("RecognitionPolicy", POLICY["valid_from"]),
        ("FeeCap", CAPS_FROM),
        ("SeniorYearWaiver", WAIVER["valid_from"]),
        ("SubsidyRule", SUBSIDY["valid_from"]),
    ):
        apps.get_model("governance", name).objects.filter(valid_from=day).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
