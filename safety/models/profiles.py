"""A kindergarten's safety profile (安全工作档案) and its drills.

The people on campus are staff + children: children come from the official enrolment figures
(`enrollment.SchoolClass` of the current school year); staff is `SafetyProfile.staff_count`, a
figure the kindergarten keeps here until a staff app exists.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet
from kindergartens.models import Kindergarten, phone_validator

from ..choices import CoveredArea, DrillKind


class SafetyProfile(models.Model):
    """The three defences of one kindergarten (人防 物防 技防), kept by its director and the bureau."""

    kindergarten = models.OneToOneField(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.CASCADE, related_name="safety_profile"
    )
    # 人防
    staff_count = models.PositiveIntegerField(
        _("教职工人数"), default=0, help_text=_("在教职工管理模块建成前，由幼儿园在此填报。")
    )
    safety_manager = models.CharField(_("安全管理负责人"), max_length=50, blank=True)
    safety_manager_phone = models.CharField(
        _("安全管理负责人电话"), max_length=20, blank=True, validators=[phone_validator]
    )
    full_time_safety_managers = models.PositiveSmallIntegerField(_("专职安全管理人员数"), default=0)
    guards_full_time = models.PositiveSmallIntegerField(_("专职保安员数"), default=0)
    guards_part_time = models.PositiveSmallIntegerField(_("兼职保安员数"), default=0)
    guard_company = models.CharField(_("保安服务公司"), max_length=100, blank=True)
    guard_company_licensed = models.BooleanField(_("保安公司持有保安服务许可证"), default=False)
    guard_certificates = models.TextField(_("保安员证编号"), blank=True, help_text=_("每行一个"))
    guard_certificates_expiry = models.DateField(_("保安员证最早到期日"), null=True, blank=True)
    carers_per_class = models.PositiveSmallIntegerField(_("每班幼儿身边看护人数"), default=0)
    # 物防 / 技防
    alarm_installed = models.BooleanField(_("已安装一键式报警"), default=False)
    alarm_linked = models.BooleanField(_("一键式报警与公安报警中心联网"), default=False)
    alarm_last_tested = models.DateField(_("一键式报警最近测试日期"), null=True, blank=True)
    cameras = models.PositiveSmallIntegerField(_("监控摄像头数"), default=0)
    video_areas = models.JSONField(_("监控覆盖区域"), default=list, blank=True)
    video_blind_spots = models.TextField(_("监控盲区"), blank=True, help_text=_("没有盲区请留空"))
    video_retention_days = models.PositiveSmallIntegerField(_("监控录像保存天数"), default=0)
    video_linked = models.BooleanField(_("视频监控与公安联网"), default=False)
    intrusion_alarm_installed = models.BooleanField(_("已安装入侵报警系统"), default=False)
    intrusion_log_days = models.PositiveSmallIntegerField(_("入侵报警记录保存天数"), default=0)
    access_control_installed = models.BooleanField(_("已安装门禁系统"), default=False)
    access_log_days = models.PositiveSmallIntegerField(_("门禁记录保存天数"), default=0)
    closed_campus = models.BooleanField(_("实行封闭式管理"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("安全工作档案")
        verbose_name_plural = _("安全工作档案")

    def __str__(self) -> str:
        return str(self.kindergarten)

    def get_absolute_url(self) -> str:
        return reverse("safety:profile_detail", args=[self.kindergarten_id])

    def clean(self) -> None:
        areas = self.video_areas
        if not isinstance(areas, list) or any(a not in CoveredArea.values for a in areas):
            raise ValidationError({"video_areas": _("监控覆盖区域只能从列出的区域中选择。")})
        if self.alarm_linked and not self.alarm_installed:
            raise ValidationError({"alarm_linked": _("未安装一键式报警，不能与公安联网。")})

    def video_area_labels(self) -> list[str]:
        return [str(CoveredArea(a).label) for a in self.video_areas if a in CoveredArea.values]


class Drill(models.Model):
    """A safety drill held by a kindergarten."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.CASCADE, related_name="safety_drills"
    )
    held_on = models.DateField(_("演练日期"))
    kind = models.CharField(_("演练类型"), max_length=20, choices=DrillKind.choices, default=DrillKind.EVACUATION)
    participants = models.PositiveIntegerField(_("参加人数"), default=0)
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

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("安全演练")
        verbose_name_plural = _("安全演练")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%Y-%m-%d}"

    def clean(self) -> None:
        if self.held_on and self.held_on > timezone.localdate():
            raise ValidationError({"held_on": _("演练日期不能晚于今天。")})
