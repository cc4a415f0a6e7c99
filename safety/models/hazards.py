"""Hazards to closure (隐患排查整改): open → rectifying → submitted → closed, or sent back.

Every step is a `HazardEvent` (who, when, what was said); photos before and after are
`HazardPhoto` rows, checked by `common.files` and served only after a scope check.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.choices import Role
from accounts.scoping import ScopedQuerySet, ScopePaths
from common.files import upload_to
from kindergartens.models import Kindergarten

from ..choices import OPEN_HAZARD_STATUSES, HazardAction, HazardCategory, HazardStatus, PhotoStage, Severity


class HazardQuerySet(ScopedQuerySet):
    # Which of them may act on a row is the permission layer's (services ask `may()`).
    change_roles = frozenset({Role.DIRECTOR, Role.INSPECTOR})

    def still_open(self) -> HazardQuerySet:
        return self.filter(status__in=OPEN_HAZARD_STATUSES)

    def overdue(self, day: datetime.date) -> HazardQuerySet:
        """Not closed and past their deadline on `day` (a deadline on `day` itself is not yet missed)."""
        return self.still_open().filter(deadline__lt=day)

    def major(self) -> HazardQuerySet:
        return self.filter(severity=Severity.MAJOR)


class Hazard(models.Model):
    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="safety_hazards"
    )
    category = models.CharField(_("隐患类别"), max_length=20, choices=HazardCategory.choices)
    severity = models.CharField(_("隐患等级"), max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    description = models.TextField(_("隐患描述"))
    location = models.CharField(_("位置"), max_length=100, blank=True)
    found_on = models.DateField(_("发现日期"))
    deadline = models.DateField(_("整改期限"))
    owner = models.CharField(_("整改责任人"), max_length=50)
    status = models.CharField(_("状态"), max_length=12, choices=HazardStatus.choices, default=HazardStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = HazardQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("安全隐患")
        verbose_name_plural = _("安全隐患")
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.get_category_display()} · {self.description[:20]}"

    def get_absolute_url(self) -> str:
        return reverse("safety:hazard_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_HAZARD_STATUSES

    def is_overdue(self, day: datetime.date | None = None) -> bool:
        return self.is_open and self.deadline < (day or timezone.localdate())


class HazardEventQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="hazard__kindergarten", subdistrict="hazard__kindergarten__subdistrict")
    change_roles = frozenset()


class HazardEvent(models.Model):
    """One step of a hazard's loop: who did what, when, with what note."""

    hazard = models.ForeignKey(Hazard, verbose_name=_("隐患"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=12, choices=HazardAction.choices)
    note = models.TextField(_("说明"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    history = HistoricalRecords()

    objects = HazardEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("隐患处理记录")
        verbose_name_plural = _("隐患处理记录")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class HazardPhoto(models.Model):
    """A photo (or PDF) before or after rectification, kept outside the web root."""

    hazard = models.ForeignKey(Hazard, verbose_name=_("隐患"), on_delete=models.CASCADE, related_name="photos")
    event = models.ForeignKey(
        HazardEvent, verbose_name=_("处理记录"), on_delete=models.SET_NULL, null=True, blank=True, related_name="photos"
    )
    stage = models.CharField(_("阶段"), max_length=8, choices=PhotoStage.choices)
    file = models.FileField(_("文件"), upload_to=upload_to, max_length=255)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = HazardEventQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("隐患照片")
        verbose_name_plural = _("隐患照片")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("safety:hazard_photo", args=[self.pk])

    def upload_folder(self) -> str:
        return f"safety/hazards/{self.hazard_id}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
