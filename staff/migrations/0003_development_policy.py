"""Policy values of staff development and pay, as data the bureau changes without a release.

- Credits a principal must earn per calendar year at each career stage (学分制). The plan sets a
  credit system but publishes no numbers: these are working values, to be confirmed by the bureau
  (which enters a new version from the admin site).
- The plan period whose principal appointments the dual-certificate check covers: the 14th
  Five-Year plan, 2021-01-01 … 2025-12-31.
- The public kindergartens' average monthly pay per role and year (公办园工资参照标准): working
  values, to be replaced by the bureau's published figures.
- Targets of the three indicators (staff/indicators_development.py).
"""

import datetime
from decimal import Decimal

from django.db import migrations

WORKING = "工作值，待区教委确认"
CREDITS = {"reserve": "10", "new": "20", "growing": "16", "mature": "12", "expert": "10"}
# Monthly pay in 2021 (yuan) and a 3 % yearly rise: working values.
PAY_2021 = {
    "principal": 16000,
    "deputy_principal": 14000,
    "teacher": 11000,
    "caregiver": 7000,
    "health": 8500,
    "cook": 6500,
    "security": 5500,
    "other": 6500,
}
PLAN = "朝阳区“十四五”时期学前教育发展行动计划"
TARGETS = [
    ("dual_certificate_rate", "chaoyang", "gte", "1", f"{PLAN}：新任园长双证上岗"),
    ("principal_credit_completion", "chaoyang", "gte", "1", f"{PLAN}：园长培训学分制（{WORKING}）"),
    ("social_insurance_coverage", "chaoyang", "gte", "1", f"{PLAN}：足额缴纳社会保险和住房公积金"),
]


def seed(apps, schema_editor):
    CreditRequirement = apps.get_model("staff", "CreditRequirement")
    PlanPeriod = apps.get_model("staff", "PlanPeriod")
    PayBenchmark = apps.get_model("staff", "PayBenchmark")
    Target = apps.get_model("reports", "Target")
    start = datetime.date(2021, 1, 1)
    for stage, credits in CREDITS.items():
        CreditRequirement.objects.get_or_create(
            stage=stage, valid_from=start, defaults={"credits": Decimal(credits), "source": f"{PLAN}（{WORKING}）"}
        )
    PlanPeriod.objects.get_or_create(
        name="“十四五”时期", defaults={"starts_on": start, "ends_on": datetime.date(2025, 12, 31)}
    )
    for year in range(2021, 2027):
        for role, pay in PAY_2021.items():
            amount = (Decimal(pay) * Decimal("1.03") ** (year - 2021)).quantize(Decimal("1"))
            PayBenchmark.objects.get_or_create(
                year=year, role=role, defaults={"average_monthly_pay": amount, "source": f"公办园参照标准（{WORKING}）"}
            )
    for indicator, authority, comparison, value, source in TARGETS:
        Target.objects.get_or_create(
            indicator=indicator,
            authority=authority,
            valid_from=start,
            defaults={"comparison": comparison, "value": Decimal(value), "source": source},
        )


def unseed(apps, schema_editor):
    apps.get_model("reports", "Target").objects.filter(indicator__in=[t[0] for t in TARGETS]).delete()
    for name in ("CreditRequirement", "PlanPeriod", "PayBenchmark"):
        apps.get_model("staff", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("staff", "0002_development"), ("reports", "0005_indicator_codes_open")]

    operations = [migrations.RunPython(seed, unseed)]
