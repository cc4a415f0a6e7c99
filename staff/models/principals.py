"""Principals' development: career stages with their history, the credit requirement of each
stage (学分制, versioned data) and the plan period whose appointments the dual-certificate
check (双证上岗) covers (data too)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import DistrictWideQuerySet, ScopedQuerySet
from kindergartens.models import Kindergarten

from ..choices import CareerStage
from .people import Person


class VersionedQuerySet(DistrictWideQuerySet):
    """Reference data valid from one date to another (or open-ended)."""

    def in_force(self, day: datetime.date) -> VersionedQuerySet:
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


def overlap_error(model: type[models.Model], instance: models.Model, **same) -> ValidationError | None:
    """Two versions of the same thing may not be in force on the same day."""
    others = model._default_manager.filter(**same).exclude(pk=instance.pk)
    if instance.valid_to:
        others = others.filter(valid_from__lte=instance.valid_to)
    others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=instance.valid_from))
    if others.exists():
        return ValidationError(_("与已有版本的有效期重叠。"))
    return None


class CreditRequirement(models.Model):
    """Credits a principal at a career stage must earn in a calendar year (学分制)."""

    stage = models.CharField(_("发展阶段"), max_length=12, choices=CareerStage.choices)
    credits = models.DecimalField(_("年度应修学分"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)])
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=200)
    history = HistoricalRecords()

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["stage", "-valid_from"]
        verbose_name = _("园长学分要求")
        verbose_name_plural = _("园长学分要求")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.credits}"

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("失效日期不能早于生效日期。")})
        if self.valid_from and self.stage:
            error = overlap_error(CreditRequirement, self, stage=self.stage)
            if error:
                raise ValidationError({"valid_from": error})


class PlanPeriod(models.Model):
    """A plan's period (the 14th Five-Year plan: 2021-01-01 … 2025-12-31), as data."""

    name = models.CharField(_("名称"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    history = HistoricalRecords()

    objects = DistrictWideQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("规划期")
        verbose_name_plural = _("规划期")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})

    @classmethod
    def for_day(cls, day: datetime.date) -> PlanPeriod | None:
        """The period `day` falls in, else the latest that ended before it."""
        periods = cls.objects.filter(starts_on__lte=day).order_by("-starts_on")
        return periods.filter(ends_on__gte=day).first() or periods.first()


class CareerStageRecordQuerySet(ScopedQuerySet):
    change_roles = frozenset()  # the bureau manages principals' careers

    def on(self, day: datetime.date) -> CareerStageRecordQuerySet:
        return self.filter(since__lte=day)


class CareerStageRecord(models.Model):
    """A change of career stage: the person is at `stage` from `since` until the next record."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="career_stages")
    # The kindergarten the person served at when the stage was recorded (who may see the record).
    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("所在幼儿园"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("发展阶段"), max_length=12, choices=CareerStage.choices)
    since = models.DateField(_("起始日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = CareerStageRecordQuerySet.as_manager()

    class Meta:
        ordering = ["person", "-since", "-pk"]
        verbose_name = _("园长发展阶段")
        verbose_name_plural = _("园长发展阶段")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "since"],
                name="staff_one_stage_change_a_day",
                violation_error_message=_("此人在该日期已有发展阶段记录。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_stage_display()}（{self.since:%Y-%m-%d}）"
