"""The three-year cycle of supervisory evaluation and the year each kindergarten is evaluated in."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import DistrictWideQuerySet, ScopedQuerySet

from ..choices import AssessmentStatus, EvaluationStatus
from .framework import FrameworkVersion


class EvaluationCycleQuerySet(DistrictWideQuerySet):
    def current(self, today: datetime.date | None = None) -> EvaluationCycle | None:
        """The cycle `today`'s year falls in; failing that, the latest one that has started."""
        year = (today or timezone.localdate()).year
        return (
            self.filter(start_year__lte=year, end_year__gte=year).first()
            or self.filter(start_year__lte=year).order_by("-start_year").first()
        )


CYCLE_YEARS = 3
# The names the bureau gives cycles ("2024—2026 年评估周期", the create form's suggestion; the demo's
# "督导评估周期"): shown in the page's language, the stored name unchanged (EvaluationCycle.display_name).
STANDARD_CYCLE_NAME = re.compile(r"^\s*(\d{4})\s*[—–-]\s*(\d{4})\s*年(?:督导)?评估周期\s*$")


class EvaluationCycle(models.Model):
    """A three-year cycle of supervisory evaluation: every licensed kindergarten once."""

    name = models.CharField(_("名称"), max_length=100)
    start_year = models.PositiveSmallIntegerField(
        _("起始年份"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(_("结束年份"), editable=False)
    framework_version = models.ForeignKey(
        FrameworkVersion,
        verbose_name=_("评估手册版本"),
        on_delete=models.PROTECT,
        related_name="cycles",
        help_text=_("本周期自评和督导评估所依据的已发布版本"),
    )
    due_month = models.PositiveSmallIntegerField(
        _("自评截止月"), default=6, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    due_day = models.PositiveSmallIntegerField(
        _("自评截止日"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("每所幼儿园在其评估年度的这一天前提交自评，可逐园调整"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    history = HistoricalRecords()

    objects = EvaluationCycleQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year=F("start_year") + CYCLE_YEARS - 1), name="cycle_spans_three_years"
            )
        ]
        verbose_name = _("评估周期")
        verbose_name_plural = _("评估周期")

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        self.end_year = self.start_year + CYCLE_YEARS - 1
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("inspections:cycle_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        """The name as typed, or in English a standard "2024—2026 年评估周期" translated on display."""
        match = STANDARD_CYCLE_NAME.match(self.name or "")
        if match is None or (get_language() or "").startswith("zh"):
            return self.name
        return gettext("%(start)s—%(end)s 年评估周期") % {"start": match[1], "end": match[2]}

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.start_year + CYCLE_YEARS))

    def due_date_for(self, year: int) -> datetime.date:
        """The self-assessment due date of a kindergarten evaluated in `year` (31 Feb → 28/29 Feb)."""
        day = self.due_day
        while True:
            try:
                return datetime.date(year, self.due_month, day)
            except ValueError:
                day -= 1

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.start_year:
            self.end_year = self.start_year + CYCLE_YEARS - 1
            overlapping = EvaluationCycle._base_manager.filter(
                start_year__lte=self.end_year, end_year__gte=self.start_year
            ).exclude(pk=self.pk)
            if overlapping.exists():
                errors.setdefault("start_year", []).append(_("与已有评估周期的年份重叠。"))
        if self.framework_version_id:
            version = self.framework_version
            if not version.is_published:
                errors.setdefault("framework_version", []).append(_("只能选择已发布的评估手册版本。"))
            elif not version.points().exists():
                errors.setdefault("framework_version", []).append(_("该版本还没有考查要点，不能用于评估。"))
            if self.pk:
                from .self_assessments import SelfAssessment  # self-assessments point at cycles

                stored = EvaluationCycle._base_manager.filter(pk=self.pk).values_list("framework_version_id", flat=True)
                if (
                    stored.first() != self.framework_version_id
                    and SelfAssessment._base_manager.filter(cycle_id=self.pk).exists()
                ):
                    errors.setdefault("framework_version", []).append(_("本周期已有自评，不能更换评估手册版本。"))
        if errors:
            raise ValidationError(errors)


def accepted_self_assessment(kindergarten_ref="kindergarten", cycle_ref="cycle") -> Exists:
    from .self_assessments import SelfAssessment  # self-assessments point at cycles

    return Exists(
        SelfAssessment._base_manager.filter(
            kindergarten=OuterRef(kindergarten_ref), cycle=OuterRef(cycle_ref), status=AssessmentStatus.ACCEPTED
        )
    )


def submitted_self_assessment(kindergarten_ref="kindergarten", cycle_ref="cycle") -> Exists:
    """A version is waiting for review or was accepted: the director has done their part."""
    from .self_assessments import SelfAssessment  # self-assessments point at cycles

    return Exists(
        SelfAssessment._base_manager.filter(
            kindergarten=OuterRef(kindergarten_ref),
            cycle=OuterRef(cycle_ref),
            status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED],
        )
    )


class CycleAssignmentQuerySet(ScopedQuerySet):
    # The plan is the bureau's: directors and officials read their part of it.
    change_roles = frozenset()

    @staticmethod
    def evaluated_condition() -> Q:
        """When a kindergarten counts as evaluated in its cycle.

        An accepted self-assessment, or a published supervisory (external) evaluation.
        """
        from .evaluations import ExternalEvaluation  # evaluations point at cycles

        published_evaluation = Exists(
            ExternalEvaluation._base_manager.filter(
                kindergarten=OuterRef("kindergarten"), cycle=OuterRef("cycle"), status=EvaluationStatus.PUBLISHED
            )
        )
        return Q(accepted_self_assessment()) | Q(published_evaluation)

    def with_progress(self, today: datetime.date | None = None) -> CycleAssignmentQuerySet:
        """Annotates evaluated / self_assessment_submitted / overdue / self_assessment_overdue."""
        today = today or timezone.localdate()
        evaluated = self.evaluated_condition()
        return self.annotate(
            evaluated=models.ExpressionWrapper(evaluated, output_field=models.BooleanField()),
            self_assessment_submitted=submitted_self_assessment(),
            overdue=models.ExpressionWrapper(
                Q(planned_year__lt=today.year) & ~evaluated, output_field=models.BooleanField()
            ),
            self_assessment_overdue=models.ExpressionWrapper(
                Q(self_assessment_due__lt=today) & ~Q(submitted_self_assessment()), output_field=models.BooleanField()
            ),
        )

    def with_latest_self_assessment(self) -> CycleAssignmentQuerySet:
        """Annotates latest_id / latest_status / latest_version: the kindergarten's newest
        self-assessment version in the cycle (None when it has not started)."""
        from .self_assessments import SelfAssessment  # self-assessments point at cycles

        def latest(field: str) -> models.Subquery:
            return models.Subquery(
                SelfAssessment._base_manager.filter(kindergarten=OuterRef("kindergarten"), cycle=OuterRef("cycle"))
                .order_by("-version")
                .values(field)[:1]
            )

        return self.annotate(latest_id=latest("pk"), latest_status=latest("status"), latest_version=latest("version"))

    def overdue(self, today: datetime.date | None = None) -> CycleAssignmentQuerySet:
        """Planned year passed and not evaluated."""
        today = today or timezone.localdate()
        return self.filter(planned_year__lt=today.year).exclude(self.evaluated_condition())

    def self_assessment_overdue(self, today: datetime.date | None = None) -> CycleAssignmentQuerySet:
        """Self-assessment due date passed and nothing submitted (a returned one counts as not submitted)."""
        today = today or timezone.localdate()
        return self.filter(self_assessment_due__lt=today).exclude(submitted_self_assessment())

    def coverage_by_subdistrict(self, today: datetime.date | None = None) -> models.QuerySet:
        """One row per sub-district, counted by the database (GROUP BY)."""
        today = today or timezone.localdate()
        evaluated = self.evaluated_condition()
        count = lambda condition: models.Count("id", filter=condition)  # noqa: E731
        return (
            self.values(
                "kindergarten__subdistrict_id", "kindergarten__subdistrict__name", "kindergarten__subdistrict__code"
            )
            .annotate(
                assigned=models.Count("id"),
                evaluated=count(evaluated),
                overdue=count(Q(planned_year__lt=today.year) & ~evaluated),
                due_this_year=count(Q(planned_year=today.year)),
                due_this_year_evaluated=count(Q(planned_year=today.year) & evaluated),
                self_assessment_submitted=count(Q(submitted_self_assessment())),
                self_assessment_overdue=count(Q(self_assessment_due__lt=today) & ~Q(submitted_self_assessment())),
            )
            .order_by("kindergarten__subdistrict__code")
        )

    def coverage_totals(self, today: datetime.date | None = None) -> dict[str, int]:
        today = today or timezone.localdate()
        evaluated = self.evaluated_condition()
        count = lambda condition: models.Count("id", filter=condition)  # noqa: E731
        return self.aggregate(
            assigned=models.Count("id"),
            evaluated=count(evaluated),
            overdue=count(Q(planned_year__lt=today.year) & ~evaluated),
            due_this_year=count(Q(planned_year=today.year)),
            due_this_year_evaluated=count(Q(planned_year=today.year) & evaluated),
            self_assessment_submitted=count(Q(submitted_self_assessment())),
            self_assessment_overdue=count(Q(self_assessment_due__lt=today) & ~Q(submitted_self_assessment())),
        )


class CycleAssignment(models.Model):
    """The year of the cycle in which a kindergarten is evaluated."""

    cycle = models.ForeignKey(
        EvaluationCycle, verbose_name=_("评估周期"), on_delete=models.CASCADE, related_name="assignments"
    )
    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten",
        verbose_name=_("幼儿园"),
        on_delete=models.CASCADE,  # a plan row means nothing without its kindergarten
        related_name="cycle_assignments",
    )
    planned_year = models.PositiveSmallIntegerField(_("评估年度"))
    self_assessment_due = models.DateField(_("自评截止日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = CycleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "planned_year", "kindergarten__code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kindergarten"], name="unique_cycle_assignment"),
        ]
        indexes = [models.Index(fields=["cycle", "planned_year"])]
        verbose_name = _("周期评估安排")
        verbose_name_plural = _("周期评估安排")

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.planned_year}"

    def clean(self) -> None:
        super().clean()
        if self.cycle_id and self.planned_year and self.planned_year not in self.cycle.years:
            raise ValidationError(
                {
                    "planned_year": _("评估年度须在 %(start)s–%(end)s 年之间。")
                    % {"start": self.cycle.start_year, "end": self.cycle.end_year}
                }
            )
