"""The new indicator `unlicensed_open_cases` (open unlicensed kindergartens' cases) and its target.

Its target comes from the same plan as `unlicensed_open` (0002_seed_targets): Chaoyang, at most 0
(无证园动态清零), in force from 2021-01-01 until the bureau enters a newer version. Targets are data,
so the row is seeded here, as 0002 does; the field changes are the indicator's new choice.
"""

import datetime
from decimal import Decimal

from django.db import migrations, models

PLAN = "《朝阳区“十四五”学前教育发展提升行动计划》"
TARGET = ("unlicensed_open_cases", "chaoyang", "lte", "0", datetime.date(2021, 1, 1), PLAN + "（无证园动态清零）")


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


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0003_snapshot_national_target_run_lock'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicaltarget',
            name='indicator',
            field=models.CharField(choices=[('gross_enrollment_rate', '学前三年毛入园率'), ('inclusive_coverage', '普惠性幼儿园覆盖率'), ('public_share', '公办园在园幼儿占比'), ('seat_utilisation', '学位使用率'), ('class_size_compliance', '班额达标率'), ('unlicensed_open', '未清理无证园数'), ('forecast_shortfall', '预测学位缺口'), ('unlicensed_open_cases', '未办结无证园案件数')], max_length=40, verbose_name='指标'),
        ),
        migrations.AlterField(
            model_name='indicatorsnapshot',
            name='indicator',
            field=models.CharField(choices=[('gross_enrollment_rate', '学前三年毛入园率'), ('inclusive_coverage', '普惠性幼儿园覆盖率'), ('public_share', '公办园在园幼儿占比'), ('seat_utilisation', '学位使用率'), ('class_size_compliance', '班额达标率'), ('unlicensed_open', '未清理无证园数'), ('forecast_shortfall', '预测学位缺口'), ('unlicensed_open_cases', '未办结无证园案件数')], max_length=40, verbose_name='指标'),
        ),
        migrations.AlterField(
            model_name='target',
            name='indicator',
            field=models.CharField(choices=[('gross_enrollment_rate', '学前三年毛入园率'), ('inclusive_coverage', '普惠性幼儿园覆盖率'), ('public_share', '公办园在园幼儿占比'), ('seat_utilisation', '学位使用率'), ('class_size_compliance', '班额达标率'), ('unlicensed_open', '未清理无证园数'), ('forecast_shortfall', '预测学位缺口'), ('unlicensed_open_cases', '未办结无证园案件数')], max_length=40, verbose_name='指标'),
        ),
        migrations.RunPython(seed, unseed),
    ]
