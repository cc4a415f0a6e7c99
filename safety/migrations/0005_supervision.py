"""Major-hazard supervision: orders, their events, interviews and notices, and the escalation ladder.

The ladder seeded here holds POLICY VALUES THE BUREAU CHANGES: an order whose major hazard is
overdue by at least 1 day is supervised by the sub-district, by at least 7 days by the bureau.
These are the district's working values, TO BE CONFIRMED BY THE BUREAU; a change is a new
`SupervisionLadder` version (this one then gets a `valid_to`), never an edit of code.
"""

import datetime

import common.files
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


LADDER = {
    "name": "重大隐患督办升级规则（工作值）",
    "source": "区教委重大隐患挂牌督办工作值，待区教委确认",
    "valid_from": datetime.date(2018, 1, 1),
    "subdistrict_after_days": 1,
    "bureau_after_days": 7,
}


def seed(apps, schema_editor):
    SupervisionLadder = apps.get_model("safety", "SupervisionLadder")
    if not SupervisionLadder.objects.exists():
        SupervisionLadder.objects.create(**LADDER)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0005_issue_event_corrections"),
        ("safety", "0004_checks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SupervisionLadder",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                ("source", models.CharField(max_length=200, verbose_name="依据文件")),
                ("valid_from", models.DateField(verbose_name="生效日期")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="失效日期")),
                (
                    "subdistrict_after_days",
                    models.PositiveIntegerField(
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="逾期达到天数升级至街道督办",
                    ),
                ),
                (
                    "bureau_after_days",
                    models.PositiveIntegerField(
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="逾期达到天数升级至区教委督办",
                    ),
                ),
            ],
            options={
                "verbose_name": "督办升级规则版本",
                "verbose_name_plural": "督办升级规则版本",
                "ordering": ["-valid_from"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalSupervisionLadder",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                ("source", models.CharField(max_length=200, verbose_name="依据文件")),
                ("valid_from", models.DateField(verbose_name="生效日期")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="失效日期")),
                (
                    "subdistrict_after_days",
                    models.PositiveIntegerField(
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="逾期达到天数升级至街道督办",
                    ),
                ),
                (
                    "bureau_after_days",
                    models.PositiveIntegerField(
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="逾期达到天数升级至区教委督办",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 督办升级规则版本",
                "verbose_name_plural": "historical 督办升级规则版本",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalSupervisionOrder",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("issued_on", models.DateField(verbose_name="督办日期")),
                (
                    "level",
                    models.CharField(
                        choices=[("kindergarten", "幼儿园"), ("subdistrict", "街道/地区"), ("bureau", "区教委")],
                        default="kindergarten",
                        max_length=12,
                        verbose_name="督办层级",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "督办中"), ("closed", "已销号")],
                        default="open",
                        max_length=8,
                        verbose_name="督办状态",
                    ),
                ),
                ("closed_on", models.DateField(blank=True, null=True, verbose_name="结束日期")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="登记时间")),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="更新时间")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "hazard",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="safety.hazard",
                        verbose_name="重大隐患",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "issued_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="督办人",
                    ),
                ),
                (
                    "rectification_order",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="inspections.rectificationorder",
                        verbose_name="关联整改通知",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 重大隐患督办",
                "verbose_name_plural": "historical 重大隐患督办",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="SupervisionOrder",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("issued_on", models.DateField(verbose_name="督办日期")),
                (
                    "level",
                    models.CharField(
                        choices=[("kindergarten", "幼儿园"), ("subdistrict", "街道/地区"), ("bureau", "区教委")],
                        default="kindergarten",
                        max_length=12,
                        verbose_name="督办层级",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "督办中"), ("closed", "已销号")],
                        default="open",
                        max_length=8,
                        verbose_name="督办状态",
                    ),
                ),
                ("closed_on", models.DateField(blank=True, null=True, verbose_name="结束日期")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "hazard",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="supervision",
                        to="safety.hazard",
                        verbose_name="重大隐患",
                    ),
                ),
                (
                    "issued_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="督办人",
                    ),
                ),
                (
                    "rectification_order",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="inspections.rectificationorder",
                        verbose_name="关联整改通知",
                    ),
                ),
            ],
            options={
                "verbose_name": "重大隐患督办",
                "verbose_name_plural": "重大隐患督办",
                "ordering": ["-issued_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="SupervisionNotice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "file",
                    models.FileField(blank=True, max_length=255, upload_to=common.files.upload_to, verbose_name="附件"),
                ),
                ("original_name", models.CharField(blank=True, max_length=255, verbose_name="文件名")),
                ("content_type", models.CharField(blank=True, max_length=100, verbose_name="文件类型")),
                ("size", models.PositiveIntegerField(blank=True, null=True, verbose_name="大小（字节）")),
                ("issued_on", models.DateField(verbose_name="通报日期")),
                ("issuer", models.CharField(max_length=100, verbose_name="通报单位")),
                (
                    "party",
                    models.CharField(
                        choices=[("kindergarten", "幼儿园"), ("sponsor", "举办者"), ("both", "幼儿园及举办者")],
                        max_length=12,
                        verbose_name="通报对象",
                    ),
                ),
                (
                    "audience",
                    models.CharField(help_text="例如：全区幼儿园、本街道", max_length=100, verbose_name="通报范围"),
                ),
                ("text", models.TextField(max_length=5000, verbose_name="通报内容")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="记录时间")),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notices",
                        to="safety.supervisionorder",
                        verbose_name="督办",
                    ),
                ),
            ],
            options={
                "verbose_name": "通报记录",
                "verbose_name_plural": "通报记录",
                "ordering": ["issued_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="SupervisionInterview",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "file",
                    models.FileField(blank=True, max_length=255, upload_to=common.files.upload_to, verbose_name="附件"),
                ),
                ("original_name", models.CharField(blank=True, max_length=255, verbose_name="文件名")),
                ("content_type", models.CharField(blank=True, max_length=100, verbose_name="文件类型")),
                ("size", models.PositiveIntegerField(blank=True, null=True, verbose_name="大小（字节）")),
                ("held_on", models.DateField(verbose_name="约谈日期")),
                ("interviewer", models.CharField(max_length=100, verbose_name="约谈人")),
                (
                    "party",
                    models.CharField(
                        choices=[("kindergarten", "幼儿园"), ("sponsor", "举办者"), ("both", "幼儿园及举办者")],
                        max_length=12,
                        verbose_name="约谈对象",
                    ),
                ),
                ("attendees", models.CharField(max_length=200, verbose_name="被约谈人")),
                ("summary", models.TextField(max_length=3000, verbose_name="约谈内容及要求")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="记录时间")),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="interviews",
                        to="safety.supervisionorder",
                        verbose_name="督办",
                    ),
                ),
            ],
            options={
                "verbose_name": "约谈记录",
                "verbose_name_plural": "约谈记录",
                "ordering": ["held_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="SupervisionEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("opened", "立案督办"),
                            ("escalated", "升级督办"),
                            ("linked", "关联整改通知"),
                            ("closed", "隐患销号，督办结束"),
                        ],
                        max_length=12,
                        verbose_name="事项",
                    ),
                ),
                (
                    "from_level",
                    models.CharField(
                        blank=True,
                        choices=[("kindergarten", "幼儿园"), ("subdistrict", "街道/地区"), ("bureau", "区教委")],
                        max_length=12,
                        verbose_name="原层级",
                    ),
                ),
                (
                    "to_level",
                    models.CharField(
                        blank=True,
                        choices=[("kindergarten", "幼儿园"), ("subdistrict", "街道/地区"), ("bureau", "区教委")],
                        max_length=12,
                        verbose_name="新层级",
                    ),
                ),
                ("day", models.DateField(verbose_name="日期")),
                ("reason", models.TextField(blank=True, verbose_name="原因")),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="记录时间")),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="safety.supervisionorder",
                        verbose_name="督办",
                    ),
                ),
            ],
            options={
                "verbose_name": "督办记录",
                "verbose_name_plural": "督办记录",
                "ordering": ["at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalSupervisionNotice",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("file", models.TextField(blank=True, max_length=255, verbose_name="附件")),
                ("original_name", models.CharField(blank=True, max_length=255, verbose_name="文件名")),
                ("content_type", models.CharField(blank=True, max_length=100, verbose_name="文件类型")),
                ("size", models.PositiveIntegerField(blank=True, null=True, verbose_name="大小（字节）")),
                ("issued_on", models.DateField(verbose_name="通报日期")),
                ("issuer", models.CharField(max_length=100, verbose_name="通报单位")),
                (
                    "party",
                    models.CharField(
                        choices=[("kindergarten", "幼儿园"), ("sponsor", "举办者"), ("both", "幼儿园及举办者")],
                        max_length=12,
                        verbose_name="通报对象",
                    ),
                ),
                (
                    "audience",
                    models.CharField(help_text="例如：全区幼儿园、本街道", max_length=100, verbose_name="通报范围"),
                ),
                ("text", models.TextField(max_length=5000, verbose_name="通报内容")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="记录时间")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="safety.supervisionorder",
                        verbose_name="督办",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 通报记录",
                "verbose_name_plural": "historical 通报记录",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalSupervisionInterview",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("file", models.TextField(blank=True, max_length=255, verbose_name="附件")),
                ("original_name", models.CharField(blank=True, max_length=255, verbose_name="文件名")),
                ("content_type", models.CharField(blank=True, max_length=100, verbose_name="文件类型")),
                ("size", models.PositiveIntegerField(blank=True, null=True, verbose_name="大小（字节）")),
                ("held_on", models.DateField(verbose_name="约谈日期")),
                ("interviewer", models.CharField(max_length=100, verbose_name="约谈人")),
                (
                    "party",
                    models.CharField(
                        choices=[("kindergarten", "幼儿园"), ("sponsor", "举办者"), ("both", "幼儿园及举办者")],
                        max_length=12,
                        verbose_name="约谈对象",
                    ),
                ),
                ("attendees", models.CharField(max_length=200, verbose_name="被约谈人")),
                ("summary", models.TextField(max_length=3000, verbose_name="约谈内容及要求")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="记录时间")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="safety.supervisionorder",
                        verbose_name="督办",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 约谈记录",
                "verbose_name_plural": "historical 约谈记录",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalSupervisionEvent",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("opened", "立案督办"),
                            ("escalated", "升级督办"),
                            ("linked", "关联整改通知"),
                            ("closed", "隐患销号，督办结束"),
                        ],
                        max_length=12,
                        verbose_name="事项",
                    ),
                ),
                (
                    "from_level",
                    models.CharField(
                        blank=True,
                        choices=[("kindergarten", "幼儿园"), ("subdistrict", "街道/地区"), ("bureau", "区教委")],
                        max_length=12,
                        verbose_name="原层级",
                    ),
                ),
                (
                    "to_level",
                    models.CharField(
                        blank=True,
                        choices=[("kindergarten", "幼儿园"), ("subdistrict", "街道/地区"), ("bureau", "区教委")],
                        max_length=12,
                        verbose_name="新层级",
                    ),
                ),
                ("day", models.DateField(verbose_name="日期")),
                ("reason", models.TextField(blank=True, verbose_name="原因")),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="记录时间")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="safety.supervisionorder",
                        verbose_name="督办",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 督办记录",
                "verbose_name_plural": "historical 督办记录",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddIndex(
            model_name="supervisionorder",
            index=models.Index(fields=["status", "level"], name="safety_supe_status_165762_idx"),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
