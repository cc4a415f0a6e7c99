"""School years, classes, enrolment counts, directors' submissions and the child population.

The official statistics report counts, not children: an enrolment count per kindergarten,
school year and class (for the targets) and per age (for the statistics), so no child-level
records are kept. Resident child population per sub-district, calendar year and age comes
from the statistics bureau.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import DistrictWideQuerySet, ScopedQuerySet, ScopePaths

from .choices import ClassType, PopulationBasis, SubmissionStatus

# The statistical date a new school year gets (15 October of its start year); each year keeps its own.
DEFAULT_STATISTICS_MONTH, DEFAULT_STATISTICS_DAY = 10, 15


class SchoolYearQuerySet(DistrictWideQuerySet):
    def current(self, today: datetime.date | None = None) -> SchoolYear | None:
        """The school year `today` falls in; failing that, the latest one that has started."""
        today = today or timezone.localdate()
        start = SchoolYear.start_year_for(today)
        return self.filter(start_year__lte=start).order_by("-start_year").first() or self.order_by("start_year").first()


class SchoolYear(models.Model):
    """A school year runs from 1 September to 31 August; `start_year` 2025 is 2025–2026."""

    start_year = models.PositiveSmallIntegerField(
        _("起始年份"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    submission_due = models.DateField(_("报送截止日期"), null=True, blank=True)
    # When directors who have not submitted are reminded (notifications.reminders.enrollment);
    # the year's policy, like its deadline, so each year keeps the rule it ran under.
    remind_days_before = models.PositiveSmallIntegerField(
        _("截止前提醒天数"),
        default=7,
        validators=[MaxValueValidator(60)],
        help_text=_("截止日期前几天提醒尚未报送的园所"),
    )
    remind_days_after = models.PositiveSmallIntegerField(
        _("逾期后提醒天数"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("截止日期后几天再次提醒仍未报送的园所，并告知街道"),
    )
    # The year's statistical date: its annual figures (the trend's point) are computed on this day
    # (reports.annual). The year's policy, like its deadline; a new year gets 15 October (see save()).
    statistics_date = models.DateField(
        _("年度统计日期"),
        null=True,
        blank=True,
        help_text=_("本学年年度统计数据的时点（如 10 月 15 日），须在学年之内；趋势图每学年取这一天的指标"),
    )
    locked = models.BooleanField(_("已锁定"), default=False, help_text=_("核对完成后锁定，园所不能再修改本学年数据"))
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("锁定人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("学年")
        verbose_name_plural = _("学年")

    def __str__(self) -> str:
        return _("%(start)s–%(end)s学年") % {"start": self.start_year, "end": self.start_year + 1}

    def save(self, *args, **kwargs) -> None:
        if self.statistics_date is None and self.start_year:
            self.statistics_date = self.default_statistics_date()
        super().save(*args, **kwargs)

    def default_statistics_date(self) -> datetime.date:
        """15 October of the start year: the date a year gets when nobody set one (like the reminder days)."""
        return datetime.date(self.start_year, DEFAULT_STATISTICS_MONTH, DEFAULT_STATISTICS_DAY)

    def clean(self) -> None:
        super().clean()
        if self.statistics_date and self.start_year and not self.starts_on <= self.statistics_date <= self.ends_on:
            raise ValidationError({"statistics_date": _("年度统计日期须在本学年（9 月 1 日至次年 8 月 31 日）之内。")})

    @property
    def label(self) -> str:
        """The form used in workbooks and URLs' human side: "2025-2026"."""
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.start_year, 9, 1)

    @property
    def ends_on(self) -> datetime.date:
        return datetime.date(self.start_year + 1, 8, 31)

    @staticmethod
    def start_year_for(day: datetime.date) -> int:
        """The school year a date falls in (domain.md §1): September onwards belongs to the new one."""
        return day.year if day.month >= 9 else day.year - 1


class ClassSizeLimitQuerySet(DistrictWideQuerySet):
    def in_force(self, day: datetime.date) -> ClassSizeLimitQuerySet:
        return self.filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day), valid_from__lte=day)

    def limits_on(self, day: datetime.date) -> dict[str, int]:
        """Class type → maximum children on `day`; where periods overlap the latest one wins."""
        limits: dict[str, int] = {}
        for class_type, max_children in (
            self.in_force(day).order_by("valid_from").values_list("class_type", "max_children")
        ):
            limits[class_type] = max_children
        return limits


class ClassSizeLimit(models.Model):
    """Maximum children per class type (幼儿园工作规程 2016). Policy data with a validity period."""

    class_type = models.CharField(_("班级类型"), max_length=16, choices=ClassType.choices)
    max_children = models.PositiveSmallIntegerField(_("班额上限"))
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=200)
    history = HistoricalRecords()

    objects = ClassSizeLimitQuerySet.as_manager()

    class Meta:
        ordering = ["class_type", "-valid_from"]
        verbose_name = _("班额标准")
        verbose_name_plural = _("班额标准")

    def __str__(self) -> str:
        return f"{self.get_class_type_display()} ≤ {self.max_children}"


def grade_order() -> models.Case:
    """Sorts classes as a kindergarten lists them: toddler, small, middle, senior, mixed."""
    order = [ClassType.TODDLER, ClassType.SMALL, ClassType.MIDDLE, ClassType.SENIOR, ClassType.MIXED]
    return models.Case(
        *(models.When(class_type=t, then=models.Value(i)) for i, t in enumerate(order)),
        default=models.Value(len(order)),
        output_field=models.IntegerField(),
    )


class SchoolClass(models.Model):
    """One class of a kindergarten in a school year, with its approved size and children enrolled."""

    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten", verbose_name=_("幼儿园"), on_delete=models.CASCADE, related_name="classes"
    )
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("学年"), on_delete=models.PROTECT, related_name="classes"
    )
    class_type = models.CharField(_("班级类型"), max_length=16, choices=ClassType.choices)
    name = models.CharField(_("班级名称"), max_length=30)
    approved_size = models.PositiveSmallIntegerField(_("核定班额"))
    enrolled = models.PositiveSmallIntegerField(_("在班幼儿数"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kindergarten", "school_year", "class_type", "name"]
        verbose_name = _("班级")
        verbose_name_plural = _("班级")
        constraints = [
            models.UniqueConstraint(fields=["kindergarten", "school_year", "name"], name="unique_class_name_per_year")
        ]
        indexes = [models.Index(fields=["school_year", "kindergarten"])]

    def __str__(self) -> str:
        return f"{self.kindergarten} {self.name}"

    def is_over(self, limits: dict[str, int]) -> bool:
        """More children than the class-size limit in force for its type (see `limits_on`)."""
        limit = limits.get(self.class_type)
        return limit is not None and self.enrolled is not None and self.enrolled > limit


class EnrollmentByAge(models.Model):
    """Children enrolled in a kindergarten in a school year, by age in whole years (2 to 6)."""

    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten",
        verbose_name=_("幼儿园"),
        on_delete=models.CASCADE,
        related_name="enrollment_by_age",
    )
    school_year = models.ForeignKey(SchoolYear, verbose_name=_("学年"), on_delete=models.PROTECT, related_name="+")
    age = models.PositiveSmallIntegerField(_("年龄"), validators=[MinValueValidator(2), MaxValueValidator(6)])
    children = models.PositiveIntegerField(_("幼儿数"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kindergarten", "school_year", "age"]
        verbose_name = _("分年龄在园幼儿数")
        verbose_name_plural = _("分年龄在园幼儿数")
        constraints = [
            models.UniqueConstraint(fields=["kindergarten", "school_year", "age"], name="unique_enrollment_age"),
            models.CheckConstraint(condition=models.Q(age__gte=2, age__lte=6), name="enrollment_age_2_to_6"),
        ]

    def __str__(self) -> str:
        return f"{self.kindergarten} {self.age}岁 {self.children}"


class EnrollmentSubmission(models.Model):
    """A director's report of their kindergarten's classes and enrolment for one school year.

    The official figures are the kindergarten-year's classes and children by age (and
    `international_seats_used` here); `draft` is the director's working copy, kept apart so that
    saving or abandoning a draft never changes official data (see `enrollment.services.report`).
    """

    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten", verbose_name=_("幼儿园"), on_delete=models.CASCADE, related_name="submissions"
    )
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("学年"), on_delete=models.PROTECT, related_name="submissions"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    international_seats_used = models.PositiveIntegerField(_("国际化学位使用数"), default=0)
    draft = models.JSONField(
        _("园所工作稿"),
        null=True,
        blank=True,
        help_text=_("园长保存的草稿或待审核的更正：班级、分年龄幼儿数、国际化学位使用数；不计入任何统计"),
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year__start_year", "kindergarten"]
        verbose_name = _("在园情况报送")
        verbose_name_plural = _("在园情况报送")
        constraints = [
            models.UniqueConstraint(fields=["kindergarten", "school_year"], name="unique_submission_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.kindergarten} {self.school_year}"

    @property
    def is_submitted(self) -> bool:
        return self.status == SubmissionStatus.SUBMITTED

    @property
    def is_correction(self) -> bool:
        return self.status == SubmissionStatus.CORRECTION

    def clean(self) -> None:
        super().clean()
        if self.kindergarten_id and self.international_seats_used:
            seats = self.kindergarten.international_seats
            if self.international_seats_used > seats:
                raise ValidationError(
                    {
                        "international_seats_used": _("国际化学位使用数不能超过核定的国际化学位数（%(seats)s）。")
                        % {"seats": seats}
                    }
                )
        if self.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.CORRECTION) and not self.submitted_at:
            raise ValidationError({"submitted_at": _("已报送的记录须有报送时间。")})
        if self.status == SubmissionStatus.CORRECTION and not self.draft:
            raise ValidationError({"draft": _("待审核的更正须有更正后的数字。")})


class PopulationQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten=None, subdistrict="subdistrict")
    change_roles = frozenset()


class ChildPopulation(models.Model):
    """Children of one age living in a sub-district in a calendar year (statistics bureau figures).

    Age 0 is the year's births. The targets use the resident (常住) basis, Beijing's basis.
    """

    subdistrict = models.ForeignKey(
        "kindergartens.Subdistrict", verbose_name=_("街道/地区"), on_delete=models.PROTECT, related_name="population"
    )
    year = models.PositiveSmallIntegerField(_("年份"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    age = models.PositiveSmallIntegerField(_("年龄"), validators=[MaxValueValidator(6)])
    basis = models.CharField(
        _("人口口径"), max_length=16, choices=PopulationBasis.choices, default=PopulationBasis.RESIDENT
    )
    children = models.PositiveIntegerField(_("儿童数"))
    history = HistoricalRecords()

    objects = PopulationQuerySet.as_manager()

    class Meta:
        ordering = ["subdistrict", "year", "age"]
        verbose_name = _("儿童人口")
        verbose_name_plural = _("儿童人口")
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "year", "age", "basis"], name="unique_population_row"),
            models.CheckConstraint(condition=models.Q(age__lte=6), name="population_age_0_to_6"),
        ]

    def __str__(self) -> str:
        return f"{self.subdistrict} {self.year}年 {self.age}岁"


class ForecastSetting(models.Model):
    """Adjustable migration factor for a sub-district's cohort forecast (1.00 = no net migration)."""

    subdistrict = models.OneToOneField(
        "kindergartens.Subdistrict",
        verbose_name=_("街道/地区"),
        on_delete=models.CASCADE,
        related_name="forecast_setting",
    )
    migration_factor = models.DecimalField(
        _("迁移系数"),
        max_digits=4,
        decimal_places=3,
        default=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(1.5)],
        help_text=_("每年龄组逐年递增时乘以该系数；大于 1 表示净迁入"),
    )
    history = HistoricalRecords()

    objects = PopulationQuerySet.as_manager()

    class Meta:
        verbose_name = _("预测参数")
        verbose_name_plural = _("预测参数")

    def __str__(self) -> str:
        return f"{self.subdistrict} ×{self.migration_factor}"

    def clean(self) -> None:
        if self.migration_factor is not None and self.migration_factor <= 0:
            raise ValidationError({"migration_factor": _("迁移系数必须大于 0。")})
