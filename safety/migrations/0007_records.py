"""Incidents and disputes, the footage access register, peak-hour posts (issue 9 parts 4–6), and
the first version of the peak-hour rule: the morning peak 07:30–08:30 on school days Monday to
Friday (the working values, to be confirmed by the bureau, which changes them by entering a new
version)."""

import datetime

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import safety.models.incidents
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def seed_peak_hour_rule(apps, schema_editor):
    PeakHourRule = apps.get_model("safety", "PeakHourRule")
    PeakHourRule.objects.get_or_create(
        valid_from=datetime.date(2020, 1, 1),
        defaults={
            "name": "护学岗早高峰（试行）",
            "source": "朝阳区平安校园建设工作要求：上学日早高峰时段校门口设护学岗",
            "morning_peak_start": datetime.time(7, 30),
            "morning_peak_end": datetime.time(8, 30),
            "school_days": 0b0011111,  # Monday … Friday
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kindergartens", "0002_seed_subdistricts_and_naming_rules"),
        ("safety", "0006_hazard_closure_target"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PeakHourRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                ("source", models.CharField(blank=True, max_length=200, verbose_name="依据")),
                ("valid_from", models.DateField(verbose_name="生效日期")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="失效日期")),
                ("morning_peak_start", models.TimeField(verbose_name="早高峰开始")),
                ("morning_peak_end", models.TimeField(verbose_name="早高峰结束")),
                (
                    "school_days",
                    models.PositiveSmallIntegerField(
                        help_text="星期的位掩码：周一为 1，周二为 2，周三为 4……周一至周五为 31",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(127),
                        ],
                        verbose_name="上学日",
                    ),
                ),
            ],
            options={
                "verbose_name": "护学岗覆盖规则",
                "verbose_name_plural": "护学岗覆盖规则",
                "ordering": ["-valid_from"],
            },
        ),
        migrations.CreateModel(
            name="Dispute",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "处理中"), ("resolved", "已办结")],
                        default="open",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("resolved_on", models.DateField(blank=True, null=True, verbose_name="办结日期")),
                (
                    "outcome",
                    models.TextField(
                        blank=True, validators=[safety.models.incidents.validate_no_id_number], verbose_name="处理结果"
                    ),
                ),
                ("raised_on", models.DateField(verbose_name="发生日期")),
                (
                    "subject",
                    models.CharField(
                        max_length=200,
                        validators=[safety.models.incidents.validate_no_id_number],
                        verbose_name="纠纷事由",
                    ),
                ),
                (
                    "parties",
                    models.CharField(
                        help_text="只写身份，不写姓名，如“中二班幼儿家长、当班教师”。",
                        max_length=200,
                        validators=[safety.models.incidents.validate_no_id_number],
                        verbose_name="当事各方",
                    ),
                ),
                (
                    "description",
                    models.TextField(
                        blank=True, validators=[safety.models.incidents.validate_no_id_number], verbose_name="纠纷情况"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "kindergarten",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="safety_disputes",
                        to="kindergartens.kindergarten",
                        verbose_name="幼儿园",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
            ],
            options={
                "verbose_name": "家园纠纷",
                "verbose_name_plural": "家园纠纷",
                "ordering": ["-raised_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="FootageRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "access",
                    models.CharField(
                        choices=[("view", "查看"), ("retrieve", "调取"), ("copy", "复制")],
                        max_length=10,
                        verbose_name="申请事项",
                    ),
                ),
                ("requester_name", models.CharField(max_length=50, verbose_name="申请人")),
                (
                    "requester_org",
                    models.CharField(
                        help_text="如“朝阳分局望京派出所”或“中二班幼儿家长”", max_length=100, verbose_name="申请人单位"
                    ),
                ),
                (
                    "purpose",
                    models.TextField(
                        validators=[safety.models.incidents.validate_no_id_number], verbose_name="申请理由"
                    ),
                ),
                (
                    "cameras",
                    models.CharField(
                        help_text="摄像头编号或位置，如“1 号门厅、3 号户外场地”",
                        max_length=200,
                        verbose_name="监控点位",
                    ),
                ),
                ("period_from", models.DateTimeField(verbose_name="录像起始时间")),
                ("period_to", models.DateTimeField(verbose_name="录像结束时间")),
                ("requested_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="申请时间")),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "待审批"), ("approved", "已批准"), ("refused", "不予批准")],
                        default="pending",
                        max_length=10,
                        verbose_name="审批结果",
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="审批时间")),
                ("decision_note", models.TextField(blank=True, verbose_name="审批意见")),
                ("correction_reason", models.CharField(blank=True, max_length=200, verbose_name="更正原因")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                (
                    "corrects",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="corrections",
                        to="safety.footagerequest",
                        verbose_name="更正的登记",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="审批人",
                    ),
                ),
                (
                    "kindergarten",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="footage_requests",
                        to="kindergartens.kindergarten",
                        verbose_name="幼儿园",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
            ],
            options={
                "verbose_name": "监控调取登记",
                "verbose_name_plural": "监控调取登记",
                "ordering": ["-requested_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="FootageHandover",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "copied",
                    models.CharField(
                        help_text="如“1 号门厅摄像头 08:00–08:30 录像，U 盘 1 个”",
                        max_length=200,
                        verbose_name="复制内容",
                    ),
                ),
                ("handed_to", models.CharField(help_text="接收人及其单位", max_length=100, verbose_name="移交对象")),
                ("handed_at", models.DateTimeField(verbose_name="移交时间")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "request",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="handover",
                        to="safety.footagerequest",
                        verbose_name="调取登记",
                    ),
                ),
            ],
            options={
                "verbose_name": "移交记录",
                "verbose_name_plural": "移交记录",
            },
        ),
        migrations.CreateModel(
            name="HistoricalFootageHandover",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "copied",
                    models.CharField(
                        help_text="如“1 号门厅摄像头 08:00–08:30 录像，U 盘 1 个”",
                        max_length=200,
                        verbose_name="复制内容",
                    ),
                ),
                ("handed_to", models.CharField(help_text="接收人及其单位", max_length=100, verbose_name="移交对象")),
                ("handed_at", models.DateTimeField(verbose_name="移交时间")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="登记时间")),
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
                    "recorded_by",
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
                    "request",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="safety.footagerequest",
                        verbose_name="调取登记",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 移交记录",
                "verbose_name_plural": "historical 移交记录",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalFootageRequest",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "access",
                    models.CharField(
                        choices=[("view", "查看"), ("retrieve", "调取"), ("copy", "复制")],
                        max_length=10,
                        verbose_name="申请事项",
                    ),
                ),
                ("requester_name", models.CharField(max_length=50, verbose_name="申请人")),
                (
                    "requester_org",
                    models.CharField(
                        help_text="如“朝阳分局望京派出所”或“中二班幼儿家长”", max_length=100, verbose_name="申请人单位"
                    ),
                ),
                (
                    "purpose",
                    models.TextField(
                        validators=[safety.models.incidents.validate_no_id_number], verbose_name="申请理由"
                    ),
                ),
                (
                    "cameras",
                    models.CharField(
                        help_text="摄像头编号或位置，如“1 号门厅、3 号户外场地”",
                        max_length=200,
                        verbose_name="监控点位",
                    ),
                ),
                ("period_from", models.DateTimeField(verbose_name="录像起始时间")),
                ("period_to", models.DateTimeField(verbose_name="录像结束时间")),
                ("requested_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="申请时间")),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "待审批"), ("approved", "已批准"), ("refused", "不予批准")],
                        default="pending",
                        max_length=10,
                        verbose_name="审批结果",
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="审批时间")),
                ("decision_note", models.TextField(blank=True, verbose_name="审批意见")),
                ("correction_reason", models.CharField(blank=True, max_length=200, verbose_name="更正原因")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="登记时间")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "corrects",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="safety.footagerequest",
                        verbose_name="更正的登记",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="审批人",
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
                    "kindergarten",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="kindergartens.kindergarten",
                        verbose_name="幼儿园",
                    ),
                ),
                (
                    "recorded_by",
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
            ],
            options={
                "verbose_name": "historical 监控调取登记",
                "verbose_name_plural": "historical 监控调取登记",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalIncident",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "处理中"), ("resolved", "已办结")],
                        default="open",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("resolved_on", models.DateField(blank=True, null=True, verbose_name="办结日期")),
                (
                    "outcome",
                    models.TextField(
                        blank=True, validators=[safety.models.incidents.validate_no_id_number], verbose_name="处理结果"
                    ),
                ),
                ("occurred_at", models.DateTimeField(verbose_name="发生时间")),
                ("place", models.CharField(max_length=100, verbose_name="发生地点")),
                (
                    "child_initials",
                    models.CharField(
                        help_text="只填姓名拼音首字母，如 Z.X.；不填姓名和证件号。",
                        max_length=12,
                        validators=[safety.models.incidents.validate_initials],
                        verbose_name="幼儿（姓名首字母）",
                    ),
                ),
                (
                    "child_age",
                    models.PositiveSmallIntegerField(
                        validators=[django.core.validators.MaxValueValidator(7)], verbose_name="幼儿年龄（岁）"
                    ),
                ),
                (
                    "what_happened",
                    models.TextField(
                        validators=[safety.models.incidents.validate_no_id_number], verbose_name="事故经过"
                    ),
                ),
                (
                    "treatment",
                    models.TextField(
                        blank=True, validators=[safety.models.incidents.validate_no_id_number], verbose_name="救治处理"
                    ),
                ),
                (
                    "severity",
                    models.CharField(
                        choices=[("minor", "一般"), ("serious", "严重")],
                        default="minor",
                        max_length=10,
                        verbose_name="严重程度",
                    ),
                ),
                ("insurance_claimed", models.BooleanField(default=False, verbose_name="已申请保险理赔")),
                (
                    "insurance_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("filed", "已报案"),
                            ("processing", "理赔中"),
                            ("paid", "已赔付"),
                            ("refused", "不予赔付"),
                        ],
                        max_length=12,
                        verbose_name="理赔状态",
                    ),
                ),
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
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "kindergarten",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="kindergartens.kindergarten",
                        verbose_name="幼儿园",
                    ),
                ),
                (
                    "recorded_by",
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
            ],
            options={
                "verbose_name": "historical 伤害事故",
                "verbose_name_plural": "historical 伤害事故",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalMediation",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("held_on", models.DateField(verbose_name="调解日期")),
                (
                    "mediator",
                    models.CharField(
                        help_text="调解人及其单位，如“望京街道人民调解委员会”", max_length=100, verbose_name="调解人"
                    ),
                ),
                (
                    "agreed",
                    models.TextField(
                        validators=[safety.models.incidents.validate_no_id_number], verbose_name="调解结果"
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
                    "dispute",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="safety.dispute",
                        verbose_name="纠纷",
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
                    "recorded_by",
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
            ],
            options={
                "verbose_name": "historical 调解记录",
                "verbose_name_plural": "historical 调解记录",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPeakHourRule",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="名称")),
                ("source", models.CharField(blank=True, max_length=200, verbose_name="依据")),
                ("valid_from", models.DateField(verbose_name="生效日期")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="失效日期")),
                ("morning_peak_start", models.TimeField(verbose_name="早高峰开始")),
                ("morning_peak_end", models.TimeField(verbose_name="早高峰结束")),
                (
                    "school_days",
                    models.PositiveSmallIntegerField(
                        help_text="星期的位掩码：周一为 1，周二为 2，周三为 4……周一至周五为 31",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(127),
                        ],
                        verbose_name="上学日",
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
                "verbose_name": "historical 护学岗覆盖规则",
                "verbose_name_plural": "historical 护学岗覆盖规则",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalSafetyPost",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("police", "警务护学岗"),
                            ("school_gate", "校门护学岗"),
                            ("volunteer", "志愿者护学岗"),
                        ],
                        max_length=12,
                        verbose_name="岗位类型",
                    ),
                ),
                (
                    "days",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(127),
                        ],
                        verbose_name="值守日",
                    ),
                ),
                ("start_time", models.TimeField(verbose_name="开始时间")),
                ("end_time", models.TimeField(verbose_name="结束时间")),
                (
                    "people",
                    models.CharField(
                        help_text="民警、保安员或志愿者姓名及单位", max_length=200, verbose_name="值守人员"
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                ("active", models.BooleanField(default=True, verbose_name="在岗")),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="更新时间")),
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
                    "kindergarten",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="kindergartens.kindergarten",
                        verbose_name="幼儿园",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 护学岗",
                "verbose_name_plural": "historical 护学岗",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Incident",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "处理中"), ("resolved", "已办结")],
                        default="open",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("resolved_on", models.DateField(blank=True, null=True, verbose_name="办结日期")),
                (
                    "outcome",
                    models.TextField(
                        blank=True, validators=[safety.models.incidents.validate_no_id_number], verbose_name="处理结果"
                    ),
                ),
                ("occurred_at", models.DateTimeField(verbose_name="发生时间")),
                ("place", models.CharField(max_length=100, verbose_name="发生地点")),
                (
                    "child_initials",
                    models.CharField(
                        help_text="只填姓名拼音首字母，如 Z.X.；不填姓名和证件号。",
                        max_length=12,
                        validators=[safety.models.incidents.validate_initials],
                        verbose_name="幼儿（姓名首字母）",
                    ),
                ),
                (
                    "child_age",
                    models.PositiveSmallIntegerField(
                        validators=[django.core.validators.MaxValueValidator(7)], verbose_name="幼儿年龄（岁）"
                    ),
                ),
                (
                    "what_happened",
                    models.TextField(
                        validators=[safety.models.incidents.validate_no_id_number], verbose_name="事故经过"
                    ),
                ),
                (
                    "treatment",
                    models.TextField(
                        blank=True, validators=[safety.models.incidents.validate_no_id_number], verbose_name="救治处理"
                    ),
                ),
                (
                    "severity",
                    models.CharField(
                        choices=[("minor", "一般"), ("serious", "严重")],
                        default="minor",
                        max_length=10,
                        verbose_name="严重程度",
                    ),
                ),
                ("insurance_claimed", models.BooleanField(default=False, verbose_name="已申请保险理赔")),
                (
                    "insurance_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("filed", "已报案"),
                            ("processing", "理赔中"),
                            ("paid", "已赔付"),
                            ("refused", "不予赔付"),
                        ],
                        max_length=12,
                        verbose_name="理赔状态",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "kindergarten",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="safety_incidents",
                        to="kindergartens.kindergarten",
                        verbose_name="幼儿园",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
            ],
            options={
                "verbose_name": "伤害事故",
                "verbose_name_plural": "伤害事故",
                "ordering": ["-occurred_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalDispute",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "处理中"), ("resolved", "已办结")],
                        default="open",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("resolved_on", models.DateField(blank=True, null=True, verbose_name="办结日期")),
                (
                    "outcome",
                    models.TextField(
                        blank=True, validators=[safety.models.incidents.validate_no_id_number], verbose_name="处理结果"
                    ),
                ),
                ("raised_on", models.DateField(verbose_name="发生日期")),
                (
                    "subject",
                    models.CharField(
                        max_length=200,
                        validators=[safety.models.incidents.validate_no_id_number],
                        verbose_name="纠纷事由",
                    ),
                ),
                (
                    "parties",
                    models.CharField(
                        help_text="只写身份，不写姓名，如“中二班幼儿家长、当班教师”。",
                        max_length=200,
                        validators=[safety.models.incidents.validate_no_id_number],
                        verbose_name="当事各方",
                    ),
                ),
                (
                    "description",
                    models.TextField(
                        blank=True, validators=[safety.models.incidents.validate_no_id_number], verbose_name="纠纷情况"
                    ),
                ),
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
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "kindergarten",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="kindergartens.kindergarten",
                        verbose_name="幼儿园",
                    ),
                ),
                (
                    "recorded_by",
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
                    "incident",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="safety.incident",
                        verbose_name="相关事故",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 家园纠纷",
                "verbose_name_plural": "historical 家园纠纷",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="dispute",
            name="incident",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="disputes",
                to="safety.incident",
                verbose_name="相关事故",
            ),
        ),
        migrations.CreateModel(
            name="Mediation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("held_on", models.DateField(verbose_name="调解日期")),
                (
                    "mediator",
                    models.CharField(
                        help_text="调解人及其单位，如“望京街道人民调解委员会”", max_length=100, verbose_name="调解人"
                    ),
                ),
                (
                    "agreed",
                    models.TextField(
                        validators=[safety.models.incidents.validate_no_id_number], verbose_name="调解结果"
                    ),
                ),
                (
                    "dispute",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mediations",
                        to="safety.dispute",
                        verbose_name="纠纷",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
            ],
            options={
                "verbose_name": "调解记录",
                "verbose_name_plural": "调解记录",
                "ordering": ["held_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="SafetyPost",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("police", "警务护学岗"),
                            ("school_gate", "校门护学岗"),
                            ("volunteer", "志愿者护学岗"),
                        ],
                        max_length=12,
                        verbose_name="岗位类型",
                    ),
                ),
                (
                    "days",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(127),
                        ],
                        verbose_name="值守日",
                    ),
                ),
                ("start_time", models.TimeField(verbose_name="开始时间")),
                ("end_time", models.TimeField(verbose_name="结束时间")),
                (
                    "people",
                    models.CharField(
                        help_text="民警、保安员或志愿者姓名及单位", max_length=200, verbose_name="值守人员"
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                ("active", models.BooleanField(default=True, verbose_name="在岗")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "kindergarten",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="safety_posts",
                        to="kindergartens.kindergarten",
                        verbose_name="幼儿园",
                    ),
                ),
            ],
            options={
                "verbose_name": "护学岗",
                "verbose_name_plural": "护学岗",
                "ordering": ["kindergarten", "start_time", "pk"],
            },
        ),
        migrations.AddIndex(
            model_name="footagerequest",
            index=models.Index(fields=["status", "requested_at"], name="safety_foot_status_85c684_idx"),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(fields=["severity", "status"], name="safety_inci_severit_4d329d_idx"),
        ),
        migrations.RunPython(seed_peak_hour_rule, migrations.RunPython.noop),
    ]
