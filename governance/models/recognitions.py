"""Inclusive recognition of private kindergartens (普惠性民办园认定) as a workflow.

A non-profit private kindergarten applies (its director) → the sub-district's opinion is recorded
(by bureau staff: sub-district officials are read-only in the permission layer) → the bureau
recognises it for a validity period, or refuses → annual reviews → renewed or revoked. The
registry's inclusive fields follow (see `services.recognitions`). Every step is a
`RecognitionEvent`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet, ScopePaths
from inspections.choices import ResultGrade
from kindergartens.models import Kindergarten

from ..choices import KindergartenGrade, Opinion, RecognitionAction, RecognitionStatus
from .rules import MONEY


class RecognitionQuerySet(ScopedQuerySet):
    def expiring(self, day: datetime.date, warning_days: int) -> RecognitionQuerySet:
        """Recognised (not revoked) and lapsed on `day`, or lapsing within `warning_days` of it."""
        return self.filter(
            status=RecognitionStatus.RECOGNISED,
            valid_from__lte=day,
            valid_to__lte=day + datetime.timedelta(days=warning_days),
        )

    def covering(self, day: datetime.date) -> RecognitionQuerySet:
        """Recognitions that make their kindergarten inclusive on `day` (as the registry reads it)."""
        return self.filter(status=RecognitionStatus.RECOGNISED, valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )


class Recognition(models.Model):
    """One application for inclusive recognition and, once recognised, the recognition it gives."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="recognitions"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=RecognitionStatus.choices, default=RecognitionStatus.APPLIED
    )
    grade = models.CharField(_("办园等级"), max_length=10, choices=KindergartenGrade.choices)
    conditions_met = models.JSONField(_("已具备的认定条件"), default=list, blank=True)
    conditions_total = models.PositiveSmallIntegerField(_("认定条件数"), default=0)
    monthly_fee = models.DecimalField(_("拟收保育教育费（元/月）"), **MONEY)
    evaluation_grade = models.CharField(
        _("最近一次督导评估结果"), max_length=12, choices=ResultGrade.choices, blank=True
    )
    evaluation_cycle = models.CharField(_("评估周期"), max_length=100, blank=True)
    applied_on = models.DateField(_("申请日期"), default=timezone.localdate)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subdistrict_opinion = models.CharField(_("街道意见"), max_length=10, choices=Opinion.choices, blank=True)
    subdistrict_note = models.TextField(_("街道意见说明"), blank=True)
    valid_from = models.DateField(_("认定日期"), null=True, blank=True)
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("最近年度复核"), null=True, blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_on", "-pk"]
        verbose_name = _("普惠性民办园认定")
        verbose_name_plural = _("普惠性民办园认定")
        indexes = [models.Index(fields=["status", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("governance:recognition_detail", args=[self.pk])

    def lapsed_on(self, day: datetime.date) -> bool:
        return self.status == RecognitionStatus.RECOGNISED and self.valid_to is not None and self.valid_to <= day

    def days_left(self, day: datetime.date | None = None) -> int | None:
        if self.valid_to is None:
            return None
        return (self.valid_to - (day or timezone.localdate())).days


class RecognitionEventQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="recognition__kindergarten", subdistrict="recognition__kindergarten__subdistrict")
    change_roles = frozenset()


class RecognitionEvent(models.Model):
    """One step of a recognition: who did what, when, with what note."""

    recognition = models.ForeignKey(
        Recognition, verbose_name=_("认定"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=12, choices=RecognitionAction.choices)
    note = models.TextField(_("说明"), blank=True)
    day = models.DateField(_("日期"), validators=[MinValueValidator(datetime.date(2000, 1, 1))])
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    history = HistoricalRecords()

    objects = RecognitionEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("认定办理记录")
        verbose_name_plural = _("认定办理记录")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.day:%Y-%m-%d}"
