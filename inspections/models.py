"""Quality evaluation: the framework (with the district handbook's versions), the three-year
cycle and directors' self-assessments.

Two kinds of record are frozen by the models themselves, not only by forms or views, so no
page, API call, service or shell session can change them:

- a *published* framework version, with its areas, key indicators and points: the bureau
  copies it into a new draft and publishes that as a new version, so past assessments keep
  the exact wording they were rated against;
- a self-assessment once *submitted*: its ratings, notes and attachments stay as they were
  submitted; the bureau accepts it or returns it, and a returned one is revised as a new
  version (the old one is kept unchanged).

Saving or deleting such a row raises `Locked`; bulk `update()`/`delete()` on these querysets
refuse too.
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.choices import Role
from accounts.scoping import VIEW, Action, ScopedQuerySet, ScopePaths

from .choices import (
    ASSESSMENT_TRANSITIONS,
    AssessmentStatus,
    CaseStatus,
    ConductCaseKind,
    EvaluationStatus,
    FrameworkStatus,
    IssueEventKind,
    IssueSource,
    IssueStatus,
    OrderReason,
    OrderStatus,
    PenaltyKind,
    PointOrigin,
    ResultGrade,
    UnlicensedCaseStatus,
)

DEMO_PREFIX = "【演示】"


class Locked(PermissionDenied):
    """The record is frozen: a published framework version or a submitted self-assessment."""


# --- scoping of district-wide records --------------------------------------------------------


class DistrictWideQuerySet(ScopedQuerySet):
    """Records that belong to the whole district, not to one kindergarten (framework, cycles).

    Every signed-in user may read them (directors fill the framework, officials watch the
    cycle); only bureau staff change them.
    """

    change_roles = frozenset()

    def restrict(self, user, action: Action = VIEW) -> DistrictWideQuerySet:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_bureau:
            return self
        if action != VIEW:
            return self.none()
        return self.visible_to_everyone()

    def visible_to_everyone(self) -> DistrictWideQuerySet:
        return self


class FrameworkQuerySet(DistrictWideQuerySet):
    """Framework rows: drafts of the handbook are the bureau's work in progress, hidden from others."""

    # Lookup from the model to its FrameworkVersion's fields ("" for FrameworkVersion itself).
    version_path = ""

    def visible_to_everyone(self) -> FrameworkQuerySet:
        return self.filter(**{f"{self.version_path}status": FrameworkStatus.PUBLISHED})

    def _refuse_if_published(self) -> None:
        if self.filter(**{f"{self.version_path}status": FrameworkStatus.PUBLISHED}).exists():
            raise Locked(_("已发布的评估手册版本不能修改，请复制为新草稿后修改。"))

    def update(self, **kwargs) -> int:
        self._refuse_if_published()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_published()
        return super().delete()


def _refuse_if_version_published(version_ids: set[int | None]) -> None:
    version_ids.discard(None)
    if (
        version_ids
        and FrameworkVersion._base_manager.filter(pk__in=version_ids, status=FrameworkStatus.PUBLISHED).exists()
    ):
        raise Locked(_("已发布的评估手册版本不能修改，请复制为新草稿后修改。"))


# --- rating scales ------------------------------------------------------------------------------


class RatingScaleQuerySet(DistrictWideQuerySet):
    pass


class RatingScale(models.Model):
    """A rating scale (e.g. four levels); levels are data so the bureau can define its own."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    description = models.TextField(_("说明"), blank=True)
    source = models.CharField(_("依据"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = RatingScaleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("评分等级表")
        verbose_name_plural = _("评分等级表")

    def __str__(self) -> str:
        return self.name

    def in_published_use(self) -> bool:
        return AssessmentPoint._base_manager.filter(
            rating_scale=self, key_indicator__area__framework_version__status=FrameworkStatus.PUBLISHED
        ).exists()


class RatingLevel(models.Model):
    scale = models.ForeignKey(
        RatingScale, verbose_name=_("评分等级表"), on_delete=models.CASCADE, related_name="levels"
    )
    value = models.PositiveSmallIntegerField(_("分值"), validators=[MinValueValidator(1), MaxValueValidator(10)])
    label = models.CharField(_("等级名称"), max_length=20)
    description = models.CharField(_("等级说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = RatingScaleQuerySet.as_manager()

    class Meta:
        ordering = ["scale", "value"]
        constraints = [models.UniqueConstraint(fields=["scale", "value"], name="unique_rating_level_value")]
        verbose_name = _("评分等级")
        verbose_name_plural = _("评分等级")

    def __str__(self) -> str:
        return f"{self.value} {self.label}"

    def save(self, *args, **kwargs) -> None:
        self._refuse_if_in_use()
        super().save(*args, **kwargs)

    def _refuse_if_in_use(self) -> None:
        # Changing a level would change the meaning of ratings already given against it.
        if self.scale_id and RatingScale(pk=self.scale_id).in_published_use():
            raise Locked(_("该评分等级表已用于已发布的评估手册，不能修改。"))

    def delete(self, *args, **kwargs):
        self._refuse_if_in_use()
        return super().delete(*args, **kwargs)


# --- the framework and the district handbook's versions -----------------------------------------


class FrameworkVersion(models.Model):
    """One version of the evaluation framework: the national guide's structure (version 1) or a
    version of the district handbook built on it. Published versions never change."""

    name = models.CharField(_("名称"), max_length=200)
    version = models.PositiveIntegerField(_("版本号"), unique=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT, editable=False
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derived_versions",
        editable=False,
    )
    rating_scale = models.ForeignKey(
        RatingScale,
        verbose_name=_("默认评分等级表"),
        on_delete=models.PROTECT,
        related_name="framework_versions",
        help_text=_("新增考查要点默认使用该评分等级表"),
    )
    source = models.CharField(_("依据/来源"), max_length=300, blank=True)
    description = models.TextField(_("说明"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)
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
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    history = HistoricalRecords()

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("评估手册版本")
        verbose_name_plural = _("评估手册版本")

    def __str__(self) -> str:
        return f"{self.name}（第 {self.version} 版）"

    def save(self, *args, **kwargs) -> None:
        if self.pk:
            stored = FrameworkVersion._base_manager.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == FrameworkStatus.PUBLISHED:
                raise Locked(_("已发布的评估手册版本不能修改，请复制为新草稿后修改。"))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("inspections:framework_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == FrameworkStatus.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.status == FrameworkStatus.DRAFT

    def points(self) -> models.QuerySet[AssessmentPoint]:
        return AssessmentPoint.objects.filter(key_indicator__area__framework_version=self).in_framework_order()

    def structure(self) -> list[Area]:
        """Areas → key indicators → points, in order, with points numbered 1…n across the version.

        Three queries whatever the size; each area gets `indicator_list`, each indicator
        `point_list`, each point `number`.
        """
        points = AssessmentPoint.objects.select_related("rating_scale").order_by("order", "pk")
        indicators = KeyIndicator.objects.order_by("order", "pk").prefetch_related(
            Prefetch("points", queryset=points, to_attr="point_list")
        )
        areas = list(
            self.areas.order_by("order", "pk").prefetch_related(
                Prefetch("indicators", queryset=indicators, to_attr="indicator_list")
            )
        )
        number = 0
        for area in areas:
            for indicator in area.indicator_list:
                for point in indicator.point_list:
                    number += 1
                    point.number = number
        return areas

    def delete(self, *args, **kwargs):
        _refuse_if_version_published({self.pk})
        return super().delete(*args, **kwargs)


class AreaQuerySet(FrameworkQuerySet):
    version_path = "framework_version__"


class Area(models.Model):
    """One of the framework's areas (评估方面, e.g. 办园方向)."""

    framework_version = models.ForeignKey(
        FrameworkVersion, verbose_name=_("评估手册版本"), on_delete=models.CASCADE, related_name="areas"
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("名称"), max_length=50)
    history = HistoricalRecords()

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["framework_version", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["framework_version", "name"], name="unique_area_name")]
        verbose_name = _("评估方面")
        verbose_name_plural = _("评估方面")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        stored = Area._base_manager.filter(pk=self.pk).values_list("framework_version_id", flat=True).first()
        _refuse_if_version_published({self.framework_version_id, stored})
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_version_published({self.framework_version_id})
        return super().delete(*args, **kwargs)


class KeyIndicatorQuerySet(FrameworkQuerySet):
    version_path = "area__framework_version__"


class KeyIndicator(models.Model):
    """One of the framework's key indicators (关键指标, e.g. 师幼互动); `order` is its number 1–15."""

    area = models.ForeignKey(Area, verbose_name=_("评估方面"), on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("名称"), max_length=50)
    history = HistoricalRecords()

    objects = KeyIndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["area__framework_version", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="unique_key_indicator_name")]
        verbose_name = _("关键指标")
        verbose_name_plural = _("关键指标")

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def save(self, *args, **kwargs) -> None:
        _refuse_if_version_published(self._version_ids())
        super().save(*args, **kwargs)

    def _version_ids(self) -> set:
        ids = set(Area._base_manager.filter(pk=self.area_id).values_list("framework_version_id", flat=True))
        if self.pk:
            ids |= set(
                KeyIndicator._base_manager.filter(pk=self.pk).values_list("area__framework_version_id", flat=True)
            )
        return ids

    def delete(self, *args, **kwargs):
        _refuse_if_version_published(self._version_ids())
        return super().delete(*args, **kwargs)


class AssessmentPointQuerySet(FrameworkQuerySet):
    version_path = "key_indicator__area__framework_version__"

    def in_framework_order(self) -> AssessmentPointQuerySet:
        return self.order_by("key_indicator__area__order", "key_indicator__order", "order", "pk")


class AssessmentPoint(models.Model):
    """An assessment point (考查要点): what is looked at, how, and what evidence shows it.

    Official wording is only entered with its source (`origin` = official needs `source`);
    the district handbook's own wording is marked as such, and demo points say so in the text.
    """

    key_indicator = models.ForeignKey(
        KeyIndicator, verbose_name=_("关键指标"), on_delete=models.CASCADE, related_name="points"
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    text = models.TextField(_("考查要点"), max_length=1000)
    guidance = models.TextField(_("评估指引"), max_length=2000, blank=True, help_text=_("如何观察、如何判断"))
    evidence_expected = models.TextField(
        _("应提供的佐证材料"), max_length=1000, blank=True, help_text=_("例如：一日活动安排、观察记录、照片")
    )
    rating_scale = models.ForeignKey(
        RatingScale, verbose_name=_("评分等级表"), on_delete=models.PROTECT, related_name="points"
    )
    origin = models.CharField(_("表述来源"), max_length=16, choices=PointOrigin.choices, default=PointOrigin.DISTRICT)
    source = models.CharField(_("出处"), max_length=300, blank=True, help_text=_("《指南》原文须注明出处"))
    # The point of the earlier version this one was copied from: lets later reports follow a
    # point across handbook versions and cycles.
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("沿用自"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        editable=False,
    )
    history = HistoricalRecords()

    objects = AssessmentPointQuerySet.as_manager()

    class Meta:
        ordering = ["key_indicator__order", "order", "pk"]
        verbose_name = _("考查要点")
        verbose_name_plural = _("考查要点")

    def __str__(self) -> str:
        return self.text if len(self.text) <= 40 else f"{self.text[:40]}…"

    def save(self, *args, **kwargs) -> None:
        _refuse_if_version_published(self._version_ids())
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        text = (self.text or "").strip()
        if self.origin == PointOrigin.OFFICIAL and not self.source.strip():
            errors.setdefault("source", []).append(_("标为《指南》原文的考查要点必须注明出处。"))
        if self.origin == PointOrigin.DEMO and not text.startswith(DEMO_PREFIX):
            errors.setdefault("text", []).append(_("演示数据的考查要点须以“【演示】”开头。"))
        if self.origin != PointOrigin.DEMO and text.startswith(DEMO_PREFIX):
            errors.setdefault("origin", []).append(_("以“【演示】”开头的考查要点应标为演示数据。"))
        if self.pk and self.key_indicator_id:
            stored = (
                AssessmentPoint._base_manager.filter(pk=self.pk)
                .values_list("key_indicator__area__framework_version_id", flat=True)
                .first()
            )
            current = KeyIndicator._base_manager.filter(pk=self.key_indicator_id).values_list(
                "area__framework_version_id", flat=True
            )
            if stored is not None and stored not in current:
                errors.setdefault("key_indicator", []).append(_("考查要点不能移到其他版本。"))
        if errors:
            raise ValidationError(errors)

    def _version_ids(self) -> set:
        ids = set(
            KeyIndicator._base_manager.filter(pk=self.key_indicator_id).values_list(
                "area__framework_version_id", flat=True
            )
        )
        if self.pk:
            ids |= set(
                AssessmentPoint._base_manager.filter(pk=self.pk).values_list(
                    "key_indicator__area__framework_version_id", flat=True
                )
            )
        return ids

    def delete(self, *args, **kwargs):
        _refuse_if_version_published(self._version_ids())
        return super().delete(*args, **kwargs)


# --- the three-year cycle ----------------------------------------------------------------------


class EvaluationCycleQuerySet(DistrictWideQuerySet):
    def current(self, today: datetime.date | None = None) -> EvaluationCycle | None:
        """The cycle `today`'s year falls in; failing that, the latest one that has started."""
        year = (today or timezone.localdate()).year
        return (
            self.filter(start_year__lte=year, end_year__gte=year).first()
            or self.filter(start_year__lte=year).order_by("-start_year").first()
        )


CYCLE_YEARS = 3


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
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.end_year = self.start_year + CYCLE_YEARS - 1
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("inspections:cycle_detail", args=[self.pk])

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
                stored = EvaluationCycle._base_manager.filter(pk=self.pk).values_list("framework_version_id", flat=True)
                if (
                    stored.first() != self.framework_version_id
                    and SelfAssessment._base_manager.filter(cycle_id=self.pk).exists()
                ):
                    errors.setdefault("framework_version", []).append(_("本周期已有自评，不能更换评估手册版本。"))
        if errors:
            raise ValidationError(errors)


def accepted_self_assessment(kindergarten_ref="kindergarten", cycle_ref="cycle") -> Exists:
    return Exists(
        SelfAssessment._base_manager.filter(
            kindergarten=OuterRef(kindergarten_ref), cycle=OuterRef(cycle_ref), status=AssessmentStatus.ACCEPTED
        )
    )


def submitted_self_assessment(kindergarten_ref="kindergarten", cycle_ref="cycle") -> Exists:
    """A version is waiting for review or was accepted: the director has done their part."""
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


# --- self-assessments -------------------------------------------------------------------------


class SelfAssessmentQuerySet(ScopedQuerySet):
    def latest_versions(self) -> SelfAssessmentQuerySet:
        """Only the newest version of each kindergarten's self-assessment per cycle."""
        return self.filter(revision__isnull=True)

    def update(self, **kwargs) -> int:
        if self.exclude(status=AssessmentStatus.DRAFT).exists():
            raise Locked(_("已提交的自评不能修改；退回后可在新版本中修改。"))
        return super().update(**kwargs)

    def delete(self):
        if self.exclude(status=AssessmentStatus.DRAFT).exists():
            raise Locked(_("已提交的自评不能删除。"))
        return super().delete()


class SelfAssessment(models.Model):
    """One version of a kindergarten's self-assessment (自评) in a cycle."""

    # Fields frozen once the version leaves draft; review fields change only with the status.
    CONTENT_FIELDS = (
        "kindergarten_id",
        "cycle_id",
        "framework_version_id",
        "version",
        "revised_from_id",
        "summary",
        "due_date",
        "created_by_id",
        "submitted_at",
        "submitted_by_id",
    )
    REVIEW_FIELDS = ("reviewed_at", "reviewed_by_id", "review_comment")

    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten",
        verbose_name=_("幼儿园"),
        on_delete=models.PROTECT,
        related_name="self_assessments",
    )
    cycle = models.ForeignKey(
        EvaluationCycle, verbose_name=_("评估周期"), on_delete=models.PROTECT, related_name="self_assessments"
    )
    framework_version = models.ForeignKey(
        FrameworkVersion,
        verbose_name=_("评估手册版本"),
        on_delete=models.PROTECT,
        related_name="self_assessments",
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    revised_from = models.OneToOneField(
        "self",
        verbose_name=_("修订自"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revision",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    summary = models.TextField(_("自评总结"), max_length=3000, blank=True)
    due_date = models.DateField(_("截止日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comment = models.TextField(_("审核意见"), max_length=3000, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-cycle__start_year", "kindergarten__code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kindergarten", "cycle", "version"], name="unique_self_assessment_version"),
            # Returned versions are history; at most one version per kindergarten and cycle is live.
            models.UniqueConstraint(
                fields=["kindergarten", "cycle"],
                condition=~Q(status=AssessmentStatus.RETURNED),
                name="one_live_self_assessment",
            ),
        ]
        indexes = [models.Index(fields=["cycle", "status"])]
        verbose_name = _("幼儿园自评")
        verbose_name_plural = _("幼儿园自评")

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.cycle} · " + _("第 %(v)s 版") % {"v": self.version}

    def save(self, *args, **kwargs) -> None:
        self._refuse_forbidden_change()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("inspections:self_assessment_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == AssessmentStatus.SUBMITTED

    @property
    def is_overdue(self) -> bool:
        return self.is_draft and self.due_date is not None and self.due_date < timezone.localdate()

    def _stored(self) -> dict | None:
        if self.pk is None:
            return None
        return (
            SelfAssessment._base_manager.filter(pk=self.pk)
            .values("status", *self.CONTENT_FIELDS, *self.REVIEW_FIELDS)
            .first()
        )

    def _refuse_forbidden_change(self) -> None:
        stored = self._stored()
        if stored is None:
            if self.status != AssessmentStatus.DRAFT:
                raise Locked(_("新的自评只能以草稿开始。"))
            return
        old = stored["status"]
        if self.status != old and self.status not in ASSESSMENT_TRANSITIONS[old]:
            raise Locked(
                _("自评不能从“%(old)s”改为“%(new)s”。")
                % {"old": AssessmentStatus(old).label, "new": AssessmentStatus(self.status).label}
            )
        if old == AssessmentStatus.DRAFT:
            return
        changed = [f for f in self.CONTENT_FIELDS if getattr(self, f) != stored[f]]
        if self.status == old:
            changed += [f for f in self.REVIEW_FIELDS if getattr(self, f) != stored[f]]
        if changed:
            raise Locked(_("已提交的自评不能修改；退回后可在新版本中修改。"))

    def delete(self, *args, **kwargs):
        if SelfAssessment._base_manager.filter(pk=self.pk).exclude(status=AssessmentStatus.DRAFT).exists():
            raise Locked(_("已提交的自评不能删除。"))
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.cycle_id and self.framework_version_id and self.framework_version_id != self.cycle.framework_version_id:
            raise ValidationError({"framework_version": _("自评须使用本周期的评估手册版本。")})


def _refuse_unless_draft(assessment_ids: set[int | None]) -> None:
    assessment_ids.discard(None)
    if SelfAssessment._base_manager.filter(pk__in=assessment_ids).exclude(status=AssessmentStatus.DRAFT).exists():
        raise Locked(_("已提交的自评不能修改；退回后可在新版本中修改。"))


class AssessmentPartQuerySet(ScopedQuerySet):
    """Rows inside a self-assessment: scoped through it, frozen with it."""

    scope = ScopePaths(kindergarten="assessment__kindergarten", subdistrict="assessment__kindergarten__subdistrict")

    def _refuse_if_locked(self) -> None:
        if self.exclude(assessment__status=AssessmentStatus.DRAFT).exists():
            raise Locked(_("已提交的自评不能修改；退回后可在新版本中修改。"))

    def update(self, **kwargs) -> int:
        self._refuse_if_locked()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_locked()
        return super().delete()


class AssessmentPart(models.Model):
    """Base of the rows that belong to one self-assessment and are frozen with it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        _refuse_unless_draft(self._assessment_ids())
        super().save(*args, **kwargs)

    def _assessment_ids(self) -> set:
        ids = {self.assessment_id}
        if self.pk:
            ids |= set(type(self)._base_manager.filter(pk=self.pk).values_list("assessment_id", flat=True))
        return ids

    def delete(self, *args, **kwargs):
        _refuse_unless_draft(self._assessment_ids())
        return super().delete(*args, **kwargs)


class SelfAssessmentRating(AssessmentPart):
    """The director's rating of one point, with a short evidence note."""

    assessment = models.ForeignKey(
        SelfAssessment, verbose_name=_("自评"), on_delete=models.CASCADE, related_name="ratings"
    )
    point = models.ForeignKey(
        AssessmentPoint, verbose_name=_("考查要点"), on_delete=models.PROTECT, related_name="self_ratings"
    )
    level = models.ForeignKey(
        RatingLevel, verbose_name=_("评分"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence_note = models.TextField(_("佐证说明"), max_length=1000, blank=True)
    history = HistoricalRecords()

    objects = AssessmentPartQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "point__key_indicator__order", "point__order", "point_id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "point"], name="unique_self_rating")]
        verbose_name = _("自评评分")
        verbose_name_plural = _("自评评分")

    def __str__(self) -> str:
        return f"{self.point} · {self.level or '—'}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.assessment_id and self.point_id:
            if self.point.key_indicator.area.framework_version_id != self.assessment.framework_version_id:
                errors.setdefault("point", []).append(_("该考查要点不属于本次自评所用的评估手册版本。"))
            if self.level_id and self.level.scale_id != self.point.rating_scale_id:
                errors.setdefault("level", []).append(_("评分不在该考查要点的评分等级表中。"))
        if errors:
            raise ValidationError(errors)


def attachment_upload_to(instance: AttachmentBase, filename: str) -> str:
    """A random name under the owner's folder: the uploader's file name is never used on disk."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"{instance.upload_folder()}/{uuid.uuid4().hex}{suffix}"


class AttachmentBase(models.Model):
    """A file kept under MEDIA_ROOT (outside the web root), checked on upload by `uploads.py`
    and served only through a view that checks the owning record's scope."""

    file = models.FileField(_("文件"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    def upload_folder(self) -> str:
        raise NotImplementedError

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class SelfAssessmentAttachment(AttachmentBase, AssessmentPart):
    """Evidence for a self-assessment: for one point, or for the assessment as a whole."""

    assessment = models.ForeignKey(
        SelfAssessment, verbose_name=_("自评"), on_delete=models.CASCADE, related_name="attachments"
    )
    point = models.ForeignKey(
        AssessmentPoint,
        verbose_name=_("考查要点"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="self_assessment_attachments",
    )
    history = HistoricalRecords()

    objects = AssessmentPartQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "uploaded_at", "pk"]
        verbose_name = _("自评附件")
        verbose_name_plural = _("自评附件")

    def get_absolute_url(self) -> str:
        return reverse("inspections:self_assessment_attachment", args=[self.pk])

    def upload_folder(self) -> str:
        return f"inspections/self-assessments/{self.assessment.kindergarten_id}"


# --- supervisory (external) evaluation ------------------------------------------------------------


class EvaluationTeamQuerySet(ScopedQuerySet):
    """Teams are the bureau's to form; an evaluator sees the teams they belong to."""

    def restrict(self, user, action: Action = VIEW) -> EvaluationTeamQuerySet:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_bureau:
            return self
        if action == VIEW and user.role == Role.INSPECTOR:
            return self.filter(members=user).distinct()
        return self.none()


class EvaluationTeam(models.Model):
    """A standing team of evaluators (督学, 评估专家) for a cycle; the bureau assigns it kindergartens."""

    cycle = models.ForeignKey(
        EvaluationCycle, verbose_name=_("评估周期"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("评估组名称"), max_length=100)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组长"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_evaluation_teams",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), related_name="evaluation_teams", blank=True
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords(m2m_fields=[members])

    objects = EvaluationTeamQuerySet.as_manager()

    class Meta:
        ordering = ["-cycle__start_year", "name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "name"], name="unique_team_name_in_cycle")]
        verbose_name = _("评估组")
        verbose_name_plural = _("评估组")

    def __str__(self) -> str:
        return self.name


class ExternalEvaluationQuerySet(ScopedQuerySet):
    # Evaluators record ratings on the kindergartens assigned to them; directors only read.
    change_roles = frozenset({Role.INSPECTOR})

    def published(self) -> ExternalEvaluationQuerySet:
        return self.filter(status=EvaluationStatus.PUBLISHED)

    def restrict(self, user, action: Action = VIEW) -> ExternalEvaluationQuerySet:
        scoped = super().restrict(user, action)
        # A director reads their kindergarten's evaluation once the bureau has approved it.
        if user is not None and user.is_authenticated and user.role == Role.DIRECTOR:
            return scoped.published()
        return scoped


class ExternalEvaluation(models.Model):
    """A supervisory evaluation (督导评估) of one kindergarten in a cycle, by a team, on a visit."""

    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten",
        verbose_name=_("幼儿园"),
        on_delete=models.PROTECT,
        related_name="external_evaluations",
    )
    cycle = models.ForeignKey(
        EvaluationCycle, verbose_name=_("评估周期"), on_delete=models.PROTECT, related_name="external_evaluations"
    )
    framework_version = models.ForeignKey(
        FrameworkVersion,
        verbose_name=_("评估手册版本"),
        on_delete=models.PROTECT,
        related_name="external_evaluations",
    )
    team = models.ForeignKey(
        EvaluationTeam, verbose_name=_("评估组"), on_delete=models.PROTECT, related_name="evaluations"
    )
    visit_date = models.DateField(_("入园评估日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    summary = models.TextField(_("评估意见"), max_length=5000, blank=True)
    grade = models.CharField(_("评估结果等级"), max_length=16, choices=ResultGrade.choices, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comment = models.TextField(_("审定意见"), max_length=3000, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审定人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ExternalEvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-cycle__start_year", "kindergarten__code"]
        constraints = [
            models.UniqueConstraint(fields=["kindergarten", "cycle"], name="one_external_evaluation_per_cycle"),
        ]
        indexes = [models.Index(fields=["cycle", "status"])]
        verbose_name = _("督导评估")
        verbose_name_plural = _("督导评估")

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.cycle} · {_('督导评估')}"

    @property
    def is_published(self) -> bool:
        return self.status == EvaluationStatus.PUBLISHED

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.cycle_id and self.framework_version_id and self.framework_version_id != self.cycle.framework_version_id:
            errors.setdefault("framework_version", []).append(_("督导评估须使用本周期的评估手册版本。"))
        if self.cycle_id and self.team_id and self.team.cycle_id != self.cycle_id:
            errors.setdefault("team", []).append(_("评估组不属于本评估周期。"))
        if self.status == EvaluationStatus.PUBLISHED and not self.grade:
            errors.setdefault("grade", []).append(_("公布前须确定评估结果等级。"))
        if errors:
            raise ValidationError(errors)


class ExternalPartQuerySet(ScopedQuerySet):
    """Rows inside an external evaluation: scoped through it."""

    scope = ScopePaths(kindergarten="evaluation__kindergarten", subdistrict="evaluation__kindergarten__subdistrict")
    change_roles = frozenset({Role.INSPECTOR})

    def restrict(self, user, action: Action = VIEW) -> ExternalPartQuerySet:
        scoped = super().restrict(user, action)
        if user is not None and user.is_authenticated and user.role == Role.DIRECTOR:
            return scoped.filter(evaluation__status=EvaluationStatus.PUBLISHED)
        return scoped


class ExternalRating(models.Model):
    """The evaluators' rating of one point, with what they found."""

    evaluation = models.ForeignKey(
        ExternalEvaluation, verbose_name=_("督导评估"), on_delete=models.CASCADE, related_name="ratings"
    )
    point = models.ForeignKey(
        AssessmentPoint, verbose_name=_("考查要点"), on_delete=models.PROTECT, related_name="external_ratings"
    )
    level = models.ForeignKey(
        RatingLevel, verbose_name=_("评分"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    findings = models.TextField(_("评估发现"), max_length=2000, blank=True)
    history = HistoricalRecords()

    objects = ExternalPartQuerySet.as_manager()

    class Meta:
        ordering = ["evaluation", "point__key_indicator__order", "point__order", "point_id"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "point"], name="unique_external_rating")]
        verbose_name = _("督导评估评分")
        verbose_name_plural = _("督导评估评分")

    def __str__(self) -> str:
        return f"{self.point} · {self.level or '—'}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.evaluation_id and self.point_id:
            if self.point.key_indicator.area.framework_version_id != self.evaluation.framework_version_id:
                errors.setdefault("point", []).append(_("该考查要点不属于本次评估所用的评估手册版本。"))
            if self.level_id and self.level.scale_id != self.point.rating_scale_id:
                errors.setdefault("level", []).append(_("评分不在该考查要点的评分等级表中。"))
        if errors:
            raise ValidationError(errors)


class ExternalEvaluationAttachment(AttachmentBase):
    """Evidence gathered on the visit: for one point, or for the evaluation as a whole."""

    evaluation = models.ForeignKey(
        ExternalEvaluation, verbose_name=_("督导评估"), on_delete=models.CASCADE, related_name="attachments"
    )
    point = models.ForeignKey(
        AssessmentPoint,
        verbose_name=_("考查要点"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="external_evaluation_attachments",
    )
    history = HistoricalRecords()

    objects = ExternalPartQuerySet.as_manager()

    class Meta:
        ordering = ["evaluation", "uploaded_at", "pk"]
        verbose_name = _("督导评估附件")
        verbose_name_plural = _("督导评估附件")

    def get_absolute_url(self) -> str:
        return reverse("inspections:external_evaluation_attachment", args=[self.pk])

    def upload_folder(self) -> str:
        return f"inspections/external-evaluations/{self.evaluation.kindergarten_id}"


# --- issue lists and improvement (问题清单 / 改进成效) ---------------------------------------------


class QualityIssueQuerySet(ScopedQuerySet):
    # Directors report improvements, evaluators verify them; both through services.
    change_roles = frozenset({Role.DIRECTOR, Role.INSPECTOR})

    def unresolved(self) -> QualityIssueQuerySet:
        return self.exclude(status=IssueStatus.VERIFIED)

    def overdue(self, today: datetime.date | None = None) -> QualityIssueQuerySet:
        """Past the deadline and not verified: these escalate to the bureau and the sub-district."""
        today = today or timezone.localdate()
        return self.unresolved().filter(deadline__lt=today)


class QualityIssue(models.Model):
    """One item of a kindergarten's issue list, from a self-assessment or an external evaluation."""

    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten",
        verbose_name=_("幼儿园"),
        on_delete=models.PROTECT,
        related_name="quality_issues",
    )
    cycle = models.ForeignKey(
        EvaluationCycle, verbose_name=_("评估周期"), on_delete=models.PROTECT, related_name="quality_issues"
    )
    point = models.ForeignKey(
        AssessmentPoint, verbose_name=_("考查要点"), on_delete=models.PROTECT, related_name="quality_issues"
    )
    source = models.CharField(_("来源"), max_length=24, choices=IssueSource.choices)
    self_assessment = models.ForeignKey(
        SelfAssessment,
        verbose_name=_("来源自评"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
    )
    external_evaluation = models.ForeignKey(
        ExternalEvaluation,
        verbose_name=_("来源督导评估"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
    )
    description = models.TextField(_("问题描述"), max_length=2000)
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=16, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("验证时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("验证人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = QualityIssueQuerySet.as_manager()

    class Meta:
        ordering = ["kindergarten__code", "deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            # The source record matches the source kind.
            models.CheckConstraint(
                condition=(
                    Q(source=IssueSource.SELF_ASSESSMENT, external_evaluation__isnull=True)
                    | Q(source=IssueSource.EXTERNAL_EVALUATION, self_assessment__isnull=True)
                ),
                name="quality_issue_source_matches",
            ),
        ]
        verbose_name = _("问题清单事项")
        verbose_name_plural = _("问题清单")

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.point}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:issue_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status != IssueStatus.VERIFIED and self.deadline < timezone.localdate()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        source_record = self.self_assessment if self.self_assessment_id else None
        if self.external_evaluation_id:
            source_record = self.external_evaluation
        if source_record is not None:
            if self.kindergarten_id and source_record.kindergarten_id != self.kindergarten_id:
                errors.setdefault("kindergarten", []).append(_("问题须属于来源评估的幼儿园。"))
            if self.cycle_id and source_record.cycle_id != self.cycle_id:
                errors.setdefault("cycle", []).append(_("问题须属于来源评估的评估周期。"))
        if self.point_id and self.cycle_id:
            if self.point.key_indicator.area.framework_version_id != self.cycle.framework_version_id:
                errors.setdefault("point", []).append(_("该考查要点不属于本周期的评估手册版本。"))
        if errors:
            raise ValidationError(errors)


class IssuePartQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="issue__kindergarten", subdistrict="issue__kindergarten__subdistrict")
    change_roles = frozenset({Role.DIRECTOR, Role.INSPECTOR})


class IssueEvent(models.Model):
    """A step in an issue's improvement: the director's report, the evaluator's verification or
    sending back, a correction of the description or the deadline. Steps are only added, never
    changed, so the trajectory stays as it happened."""

    issue = models.ForeignKey(QualityIssue, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=16, choices=IssueEventKind.choices)
    note = models.TextField(_("说明"), max_length=2000)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = IssuePartQuerySet.as_manager()

    class Meta:
        ordering = ["issue", "created_at", "pk"]
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")

    def __str__(self) -> str:
        return f"{self.issue} · {self.get_kind_display()}"


class IssueAttachment(AttachmentBase):
    """Evidence of an improvement (photos, documents), attached to the report that cites it."""

    issue = models.ForeignKey(
        QualityIssue, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        IssueEvent,
        verbose_name=_("整改记录"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    history = HistoricalRecords()

    objects = IssuePartQuerySet.as_manager()

    class Meta:
        ordering = ["issue", "uploaded_at", "pk"]
        verbose_name = _("整改佐证")
        verbose_name_plural = _("整改佐证")

    def get_absolute_url(self) -> str:
        return reverse("inspections:issue_attachment", args=[self.pk])

    def upload_folder(self) -> str:
        return f"inspections/issues/{self.issue.kindergarten_id}"


# --- conduct inspections and enforcement (规范办园行为) --------------------------------------------


class EnforcementQuerySet(ScopedQuerySet):
    # Inspectors issue and follow up orders on their kindergartens; directors only read their own.
    change_roles = frozenset({Role.INSPECTOR})

    def overdue(self, today: datetime.date | None = None) -> EnforcementQuerySet:
        today = today or timezone.localdate()
        return self.filter(status=OrderStatus.OPEN, deadline__lt=today)


class RectificationOrder(models.Model):
    """A rectification order (限期整改通知) from a conduct inspection, with its deadline and outcome."""

    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten",
        verbose_name=_("幼儿园"),
        on_delete=models.PROTECT,
        related_name="rectification_orders",
    )
    reason = models.CharField(_("整改事由"), max_length=32, choices=OrderReason.choices)
    description = models.TextField(_("检查发现"), max_length=3000)
    issued_on = models.DateField(_("下达日期"), default=timezone.localdate)
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    penalty_kind = models.CharField(_("处罚种类"), max_length=24, choices=PenaltyKind.choices, blank=True)
    penalty_note = models.TextField(_("处罚说明"), max_length=2000, blank=True)
    penalised_on = models.DateField(_("处罚日期"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("下达人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = EnforcementQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "pk"]
        indexes = [models.Index(fields=["status", "deadline"])]
        verbose_name = _("整改通知")
        verbose_name_plural = _("整改通知")

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.get_reason_display()}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:order_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == OrderStatus.OPEN and self.deadline < timezone.localdate()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.issued_on and self.deadline and self.deadline < self.issued_on:
            errors.setdefault("deadline", []).append(_("整改期限不能早于下达日期。"))
        if self.status == OrderStatus.RECTIFIED and not self.rectified_on:
            errors.setdefault("rectified_on", []).append(_("请填写整改完成日期。"))
        if self.rectified_on and self.issued_on and self.rectified_on < self.issued_on:
            errors.setdefault("rectified_on", []).append(_("整改完成日期不能早于下达日期。"))
        if self.status == OrderStatus.PENALISED:
            if not self.penalty_kind:
                errors.setdefault("penalty_kind", []).append(_("请选择处罚种类。"))
            if not self.penalised_on:
                errors.setdefault("penalised_on", []).append(_("请填写处罚日期。"))
            elif self.deadline and self.penalised_on <= self.deadline:
                errors.setdefault("penalised_on", []).append(_("只有逾期未整改才能处罚：处罚日期须晚于整改期限。"))
        if errors:
            raise ValidationError(errors)


class FollowUpQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="order__kindergarten", subdistrict="order__kindergarten__subdistrict")
    change_roles = frozenset({Role.INSPECTOR})


class FollowUpVisit(models.Model):
    """A follow-up visit (复查) on a rectification order."""

    order = models.ForeignKey(
        RectificationOrder, verbose_name=_("整改通知"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    visited_on = models.DateField(_("复查日期"))
    rectified = models.BooleanField(_("已整改到位"), default=False)
    note = models.TextField(_("复查情况"), max_length=2000)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复查人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["order", "visited_on", "pk"]
        verbose_name = _("复查记录")
        verbose_name_plural = _("复查记录")

    def __str__(self) -> str:
        return f"{self.order} · {self.visited_on}"

    def clean(self) -> None:
        super().clean()
        if self.order_id and self.visited_on and self.visited_on < self.order.issued_on:
            raise ValidationError({"visited_on": _("复查日期不能早于整改通知下达日期。")})


class CaseQuerySet(ScopedQuerySet):
    """Enforcement cases belong to a sub-district; some name a registered kindergarten."""

    scope = ScopePaths(kindergarten="kindergarten", subdistrict="subdistrict")
    change_roles = frozenset({Role.INSPECTOR})

    def restrict(self, user, action: Action = VIEW) -> CaseQuerySet:
        # Cases are the bureau's and the sub-district's business, not the director's.
        if user is not None and user.is_authenticated and user.role == Role.DIRECTOR:
            return self.none()
        return super().restrict(user, action)


class UnlicensedCase(models.Model):
    """An unlicensed kindergarten (无证园) as a case, from discovery until it is closed or converted."""

    subdistrict = models.ForeignKey(
        "kindergartens.Subdistrict",
        verbose_name=_("街道/地区"),
        on_delete=models.PROTECT,
        related_name="unlicensed_cases",
    )
    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten",
        verbose_name=_("名录中的幼儿园"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unlicensed_cases",
        help_text=_("若该无证园已录入幼儿园名录"),
    )
    name = models.CharField(_("名称"), max_length=200)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    operator = models.CharField(_("举办者"), max_length=200, blank=True)
    children = models.PositiveIntegerField(_("在园幼儿数"), default=0)
    discovered_on = models.DateField(_("发现日期"))
    status = models.CharField(
        _("状态"), max_length=24, choices=UnlicensedCaseStatus.choices, default=UnlicensedCaseStatus.DISCOVERED
    )
    ordered_on = models.DateField(_("责令日期"), null=True, blank=True)
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True)
    note = models.TextField(_("处置情况"), max_length=3000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-discovered_on", "pk"]
        indexes = [models.Index(fields=["subdistrict", "status"])]
        verbose_name = _("无证园案件")
        verbose_name_plural = _("无证园案件")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inspections:unlicensed_case_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        ordered = {UnlicensedCaseStatus.ORDERED_TO_CLOSE, UnlicensedCaseStatus.ORDERED_TO_CONVERT}
        resolved = {UnlicensedCaseStatus.CLOSED, UnlicensedCaseStatus.CONVERTED}
        if self.status in ordered and not self.ordered_on:
            errors.setdefault("ordered_on", []).append(_("请填写责令日期。"))
        if self.status in resolved and not self.resolved_on:
            errors.setdefault("resolved_on", []).append(_("请填写办结日期。"))
        for field in ("ordered_on", "resolved_on"):
            value = getattr(self, field)
            if value and self.discovered_on and value < self.discovered_on:
                errors.setdefault(field, []).append(_("不能早于发现日期。"))
        if self.kindergarten_id and self.subdistrict_id and self.kindergarten.subdistrict_id != self.subdistrict_id:
            errors.setdefault("kindergarten", []).append(_("该幼儿园不在所选街道/地区。"))
        if errors:
            raise ValidationError(errors)


class ConductCase(models.Model):
    """A case against a training institution running preschool classes, or a corporal-punishment
    or ethics case against a kindergarten's staff."""

    kind = models.CharField(_("案件类型"), max_length=24, choices=ConductCaseKind.choices)
    subdistrict = models.ForeignKey(
        "kindergartens.Subdistrict", verbose_name=_("街道/地区"), on_delete=models.PROTECT, related_name="conduct_cases"
    )
    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten",
        verbose_name=_("幼儿园"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conduct_cases",
    )
    institution_name = models.CharField(_("培训机构名称"), max_length=200, blank=True)
    reported_on = models.DateField(_("立案日期"))
    description = models.TextField(_("案情"), max_length=3000)
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    outcome = models.TextField(_("处理结果"), max_length=3000, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "pk"]
        verbose_name = _("违规办学与师德案件")
        verbose_name_plural = _("违规办学与师德案件")

    def __str__(self) -> str:
        return self.institution_name or str(self.kindergarten or self.get_kind_display())

    def get_absolute_url(self) -> str:
        return reverse("inspections:conduct_case_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.kind == ConductCaseKind.TRAINING_INSTITUTION and not self.institution_name:
            errors.setdefault("institution_name", []).append(_("请填写培训机构名称。"))
        if self.kind in (ConductCaseKind.CORPORAL_PUNISHMENT, ConductCaseKind.ETHICS) and not self.kindergarten_id:
            errors.setdefault("kindergarten", []).append(_("请选择涉事幼儿园。"))
        if self.status == CaseStatus.CLOSED:
            if not self.closed_on:
                errors.setdefault("closed_on", []).append(_("请填写结案日期。"))
            if not self.outcome:
                errors.setdefault("outcome", []).append(_("请填写处理结果。"))
        if self.closed_on and self.reported_on and self.closed_on < self.reported_on:
            errors.setdefault("closed_on", []).append(_("结案日期不能早于立案日期。"))
        if self.kindergarten_id and self.subdistrict_id and self.kindergarten.subdistrict_id != self.subdistrict_id:
            errors.setdefault("kindergarten", []).append(_("该幼儿园不在所选街道/地区。"))
        if errors:
            raise ValidationError(errors)
