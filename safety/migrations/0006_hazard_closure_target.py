"""The alarm-test interval in the rule set and the target of ``hazard_closure_rate``.

``alarm_test_days``: a one-button alarm not tested for more than this many days reminds the
kindergarten's director (notifications.safety); 30 days, the working value, seeded into every
existing version through the field's default, to be confirmed by the bureau like the deadlines.

``hazard_closure_rate`` (safety/indicators.py): hazards due in the 12 months before the date and
closed by their deadline ÷ hazards due in that period. Chaoyang's working target ≥ 90 %: a
hazard is to be closed by its deadline, and the bureau tolerates a tenth closed late while the
loop beds in. It stays in force until the bureau enters a newer version.
"""

import datetime
from decimal import Decimal

import django.core.validators
from django.db import migrations, models

TARGET = ("hazard_closure_rate", "chaoyang", "gte", "0.9", datetime.date(2021, 1, 1), "隐患按期整改（朝阳区工作目标，待确认）")


def seed(apps, schema_editor):
    Target = apps.get_model("reports", "Target")
    indicator, authority, comparison, value, valid_from, source = TARGET
    Target.objects.get_or_create(
        indicator=indicator,
        authority=authority,
        valid_from=valid_from,
        defaults={"comparison": comparison, "value": Decimal(value), "source": source},
    )


def unseed(apps, schema_editor):
    apps.get_model("reports", "Target").objects.filter(indicator=TARGET[0]).delete()


def alarm_test_days():
    return models.PositiveIntegerField(
        default=30,
        validators=[django.core.validators.MinValueValidator(1)],
        verbose_name="一键式报警测试间隔（天）",
    )


class Migration(migrations.Migration):
    dependencies = [("safety", "0005_supervision")]

    operations = [
        migrations.AddField(model_name="historicalsafetyruleset", name="alarm_test_days", field=alarm_test_days()),
        migrations.AddField(model_name="safetyruleset", name="alarm_test_days", field=alarm_test_days()),
        migrations.RunPython(seed, unseed),
    ]
