"""Serializers for enrolment data. Writes go through `enrollment.services`, like the pages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.permissions import Act, may
from common.api import ModelCleanSerializer
from kindergartens.models import Kindergarten, Subdistrict

from .. import services
from ..models import ChildPopulation, ClassSizeLimit, EnrollmentByAge, EnrollmentSubmission, SchoolClass, SchoolYear


class SchoolYearSerializer(ModelCleanSerializer):
    label = serializers.CharField(read_only=True)
    locked_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = SchoolYear
        fields = [
            "id",
            "start_year",
            "label",
            "submission_due",
            "remind_days_before",
            "remind_days_after",
            "locked",
            "locked_at",
            "locked_by",
        ]
        read_only_fields = ["locked", "locked_at"]

    def get_fields(self):
        fields = super().get_fields()
        if isinstance(self.instance, models.Model):
            fields["start_year"].read_only = True
        return fields

    def create(self, validated_data: dict) -> SchoolYear:
        return services.school_year_create(
            start_year=validated_data["start_year"],
            submission_due=validated_data.get("submission_due"),
            user=self.context["request"].user,
        )

    def update(self, instance: SchoolYear, validated_data: dict) -> SchoolYear:
        return services.school_year_update(
            school_year=instance,
            submission_due=validated_data.get("submission_due", instance.submission_due),
            user=self.context["request"].user,
        )


class KindergartenYearSerializer(ModelCleanSerializer):
    """Rows of one kindergarten in one school year, written only by those who may change the kindergarten."""

    kindergarten = serializers.PrimaryKeyRelatedField(queryset=Kindergarten.objects.all())
    kindergarten_code = serializers.CharField(source="kindergarten.code", read_only=True)
    school_year = serializers.SlugRelatedField(
        slug_field="start_year", queryset=SchoolYear.objects.all(), help_text=_("学年起始年份，如 2025")
    )

    def get_fields(self):
        fields = super().get_fields()
        if isinstance(self.instance, models.Model):
            # A row stays with its kindergarten and year; move it by deleting and re-creating.
            fields["kindergarten"].read_only = True
            fields["school_year"].read_only = True
        return fields

    def validate_kindergarten(self, kindergarten: Kindergarten) -> Kindergarten:
        user = self.context["request"].user
        if not Kindergarten.objects.restrict(user, "change").filter(pk=kindergarten.pk).exists():
            raise serializers.ValidationError(_("您没有修改该幼儿园数据的权限。"))
        return kindergarten


class SchoolClassSerializer(KindergartenYearSerializer):
    over_limit = serializers.SerializerMethodField(help_text=_("在班幼儿数超过学年开始时有效的班额上限"))

    class Meta:
        model = SchoolClass
        fields = [
            "id",
            "kindergarten",
            "kindergarten_code",
            "school_year",
            "class_type",
            "name",
            "approved_size",
            "enrolled",
            "over_limit",
        ]

    def get_over_limit(self, obj: SchoolClass) -> bool:
        cache = self.context.setdefault("class_size_limits", {})
        start_year = obj.school_year.start_year
        if start_year not in cache:
            cache[start_year] = ClassSizeLimit.objects.limits_on(obj.school_year.starts_on)
        return obj.is_over(cache[start_year])

    def create(self, validated_data: dict) -> SchoolClass:
        return services.school_class_save(school_class=SchoolClass(**validated_data), user=self.context["request"].user)

    def update(self, instance: SchoolClass, validated_data: dict) -> SchoolClass:
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.school_class_save(school_class=instance, user=self.context["request"].user)


class EnrollmentByAgeSerializer(KindergartenYearSerializer):
    class Meta:
        model = EnrollmentByAge
        fields = ["id", "kindergarten", "kindergarten_code", "school_year", "age", "children"]

    def get_fields(self):
        fields = super().get_fields()
        if isinstance(self.instance, models.Model):
            fields["age"].read_only = True
        return fields

    def create(self, validated_data: dict) -> EnrollmentByAge:
        return services.enrollment_by_age_save(row=EnrollmentByAge(**validated_data), user=self.context["request"].user)

    def update(self, instance: EnrollmentByAge, validated_data: dict) -> EnrollmentByAge:
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.enrollment_by_age_save(row=instance, user=self.context["request"].user)


class ReportClassSerializer(serializers.Serializer):
    class_type = serializers.ChoiceField(choices=SchoolClass._meta.get_field("class_type").choices)
    name = serializers.CharField(max_length=30)
    approved_size = serializers.IntegerField(min_value=0, max_value=32767)
    enrolled = serializers.IntegerField(min_value=0, max_value=32767)


class ReportSerializer(serializers.Serializer):
    """A whole report, as the report page sends it: saved as a draft or submitted (`submit`)."""

    kindergarten = serializers.PrimaryKeyRelatedField(queryset=Kindergarten.objects.all())
    school_year = serializers.SlugRelatedField(
        slug_field="start_year", queryset=SchoolYear.objects.all(), help_text=_("学年起始年份，如 2025")
    )
    classes = ReportClassSerializer(many=True)
    children_by_age = serializers.DictField(
        child=serializers.IntegerField(min_value=0), help_text=_('年龄（2–6）→ 幼儿数，如 {"3": 24}')
    )
    international_seats_used = serializers.IntegerField(min_value=0, default=0)
    submit = serializers.BooleanField(default=False, help_text=_("true：报送；false：保存草稿（不改动正式数据）"))

    def validate_kindergarten(self, kindergarten: Kindergarten) -> Kindergarten:
        user = self.context["request"].user
        if not Kindergarten.objects.restrict(user, "change").filter(pk=kindergarten.pk).exists():
            raise serializers.ValidationError(_("您没有修改该幼儿园数据的权限。"))
        return kindergarten

    def validate_children_by_age(self, value: dict) -> dict[int, int]:
        ages = {}
        for key, children in value.items():
            if not (str(key).isascii() and str(key).isdigit()) or int(key) not in services.AGES:
                raise serializers.ValidationError(_("年龄须为 2 至 6。"))
            ages[int(key)] = children
        return ages

    def report(self) -> services.Report:
        data = self.validated_data
        return services.Report.of(
            (services.ClassRow(**c) for c in data["classes"]), data["children_by_age"], data["international_seats_used"]
        )


class SubmissionSerializer(serializers.ModelSerializer):
    """A report's status; its working copy only to those who fill or review it (or once filed as a correction)."""

    kindergarten_code = serializers.CharField(source="kindergarten.code", read_only=True)
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    school_year = serializers.SlugRelatedField(slug_field="start_year", read_only=True)
    submitted_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = EnrollmentSubmission
        fields = [
            "id",
            "kindergarten",
            "kindergarten_code",
            "kindergarten_name",
            "school_year",
            "status",
            "international_seats_used",
            "draft",
            "submitted_at",
            "submitted_by",
        ]
        read_only_fields = fields

    def to_representation(self, instance: EnrollmentSubmission) -> dict:
        data = super().to_representation(instance)
        user = getattr(self.context.get("request"), "user", None)
        if not (instance.is_correction or may(user, Act.FILL, instance.kindergarten_id) or may(user, Act.REVIEW)):
            data["draft"] = None  # a director's unsent working copy is theirs and the bureau's
        return data


class ChildPopulationSerializer(ModelCleanSerializer):
    subdistrict = serializers.PrimaryKeyRelatedField(queryset=Subdistrict.objects.all())
    subdistrict_name = serializers.CharField(source="subdistrict.name", read_only=True)

    class Meta:
        model = ChildPopulation
        fields = ["id", "subdistrict", "subdistrict_name", "year", "age", "basis", "children"]

    def create(self, validated_data: dict) -> ChildPopulation:
        return services.population_save(row=ChildPopulation(**validated_data), user=self.context["request"].user)

    def update(self, instance: ChildPopulation, validated_data: dict) -> ChildPopulation:
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.population_save(row=instance, user=self.context["request"].user)
