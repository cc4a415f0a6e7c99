"""The framework: rating scales and the district handbook's versions (areas, key indicators, points).

A *published* version, with its areas, key indicators and points, is frozen by the models:
the bureau copies it into a new draft and publishes that as a new version, so past
assessments keep the exact wording they were rated against. Saving or deleting such a row
raises `Locked`; bulk `update()`/`delete()` on these querysets refuse too.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import DistrictWideQuerySet

from ..choices import FrameworkStatus, PointOrigin
from .common import DEMO_PREFIX, Locked


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
