"""Major-hazard supervision (重大隐患督办): an order per major hazard, escalated up a ladder
(kindergarten → sub-district → bureau) while the hazard stays overdue, with its interviews (约谈)
and public notices (通报), and a link to an enforcement rectification order.

The ladder ("overdue by ≥ N days → sub-district, ≥ M days → bureau") is policy: versioned rows of
`SupervisionLadder`, never constants in code.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.choices import Role
from accounts.scoping import DistrictWideQuerySet, ScopedQuerySet, ScopePaths
from common.files import upload_to

from ..choices import (
    ESCALATED_LEVELS,
    OPEN_HAZARD_STATUSES,
    SUPERVISION_LEVELS,
    InterviewParty,
    SupervisionEventKind,
    SupervisionLevel,
    SupervisionStatus,
)
from .hazards import Hazard


class SupervisionLadderQuerySet(DistrictWideQuerySet):
    def in_force(self, day: datetime.date) -> SupervisionLadderQuerySet:
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def for_day(self, day: datetime.date) -> SupervisionLadder | None:
        return self.in_force(day).order_by("-valid_from").first()


class SupervisionLadder(models.Model):
    """One version of the escalation ladder: after how many days overdue an order moves up."""

    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("依据文件"), max_length=200)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    subdistrict_after_days = models.PositiveIntegerField(
        _("逾期达到天数升级至街道督办"), validators=[MinValueValidator(1)]
    )
    bureau_after_days = models.PositiveIntegerField(
        _("逾期达到天数升级至区教委督办"), validators=[MinValueValidator(1)]
    )
    history = HistoricalRecords()

    objects = SupervisionLadderQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("督办升级规则版本")
        verbose_name_plural = _("督办升级规则版本")

    def __str__(self) -> str:
        return f"{self.name}（{self.valid_from:%Y-%m-%d} 起）"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors.setdefault("valid_to", []).append(_("失效日期不能早于生效日期。"))
        if (
            self.subdistrict_after_days
            and self.bureau_after_days
            and self.bureau_after_days <= self.subdistrict_after_days
        ):
            errors.setdefault("bureau_after_days", []).append(_("升级至区教委的天数应大于升级至街道的天数。"))
        if self.valid_from and not errors:
            overlapping = SupervisionLadder.objects.exclude(pk=self.pk).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
            )
            if self.valid_to:
                overlapping = overlapping.filter(valid_from__lte=self.valid_to)
            if overlapping.exists():
                errors.setdefault("valid_from", []).append(_("与已有督办升级规则版本的有效期重叠。"))
        if errors:
            raise ValidationError(errors)

    def level_for(self, days_overdue: int) -> str:
        """The rung an order belongs on after `days_overdue` days past the hazard's deadline."""
        if days_overdue >= self.bureau_after_days:
            return SupervisionLevel.BUREAU
        if days_overdue >= self.subdistrict_after_days:
            return SupervisionLevel.SUBDISTRICT
        return SupervisionLevel.KINDERGARTEN


def level_rank(level: str) -> int:
    return SUPERVISION_LEVELS.index(SupervisionLevel(level))


class SupervisionOrderQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="hazard__kindergarten", subdistrict="hazard__kindergarten__subdistrict")
    # Writes go through the services, which ask `may()` (Act.ENFORCE, Act.SUPERVISE).
    change_roles = frozenset()
    # A sub-district's list holds the orders escalated to it (or beyond), not the kindergarten's own.
    narrowed_for = {Role.SUBDISTRICT_OFFICIAL: "escalated"}

    def escalated(self) -> SupervisionOrderQuerySet:
        return self.filter(level__in=ESCALATED_LEVELS)

    def still_open(self) -> SupervisionOrderQuerySet:
        return self.filter(status=SupervisionStatus.OPEN)

    def overdue(self, day: datetime.date) -> SupervisionOrderQuerySet:
        """Orders whose hazard is not closed and past its deadline on `day`."""
        return self.filter(hazard__status__in=OPEN_HAZARD_STATUSES, hazard__deadline__lt=day)


class SupervisionOrder(models.Model):
    """The supervision of one major hazard until it is closed (督办单)."""

    hazard = models.OneToOneField(
        Hazard, verbose_name=_("重大隐患"), on_delete=models.PROTECT, related_name="supervision"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_on = models.DateField(_("督办日期"))
    level = models.CharField(
        _("督办层级"), max_length=12, choices=SupervisionLevel.choices, default=SupervisionLevel.KINDERGARTEN
    )
    status = models.CharField(
        _("督办状态"), max_length=8, choices=SupervisionStatus.choices, default=SupervisionStatus.OPEN
    )
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    rectification_order = models.ForeignKey(
        "inspections.RectificationOrder",
        verbose_name=_("关联整改通知"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = SupervisionOrderQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("重大隐患督办")
        verbose_name_plural = _("重大隐患督办")
        indexes = [models.Index(fields=["status", "level"])]

    def __str__(self) -> str:
        return f"{_('督办')} #{self.pk} · {self.hazard}"

    def get_absolute_url(self) -> str:
        return reverse("safety:supervision_detail", args=[self.pk])

    @property
    def kindergarten(self):
        return self.hazard.kindergarten

    @property
    def is_open(self) -> bool:
        return self.status == SupervisionStatus.OPEN

    def days_overdue(self, day: datetime.date | None = None) -> int:
        """Days past the hazard's deadline on `day` (0 when it is closed or not yet due)."""
        day = day or timezone.localdate()
        if not self.hazard.is_open or self.hazard.deadline >= day:
            return 0
        return (day - self.hazard.deadline).days


class SupervisionChildQuerySet(ScopedQuerySet):
    """Rows of an order (events, interviews, notices): seen by whoever sees the order."""

    scope = ScopePaths(
        kindergarten="order__hazard__kindergarten", subdistrict="order__hazard__kindergarten__subdistrict"
    )
    change_roles = frozenset()
    narrowed_for = {Role.SUBDISTRICT_OFFICIAL: "escalated"}

    def escalated(self) -> SupervisionChildQuerySet:
        return self.filter(order__level__in=ESCALATED_LEVELS)


class SupervisionEvent(models.Model):
    """One step of an order: opened, escalated (from which level to which, and why), linked, closed.
    `by` is empty when the system did it (the daily escalation)."""

    order = models.ForeignKey(SupervisionOrder, verbose_name=_("督办"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=12, choices=SupervisionEventKind.choices)
    from_level = models.CharField(_("原层级"), max_length=12, choices=SupervisionLevel.choices, blank=True)
    to_level = models.CharField(_("新层级"), max_length=12, choices=SupervisionLevel.choices, blank=True)
    day = models.DateField(_("日期"))
    reason = models.TextField(_("原因"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("记录时间"), default=timezone.now)
    history = HistoricalRecords()

    objects = SupervisionChildQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day:%Y-%m-%d}"


class SupervisionAttachment(models.Model):
    """An optional file (minutes, a scanned notice), checked by `common.files` and served only
    after the scope check."""

    file = models.FileField(_("附件"), upload_to=upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("文件名"), max_length=255, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("大小（字节）"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def upload_folder(self) -> str:
        return f"safety/supervision/{self.order_id}"


class SupervisionInterview(SupervisionAttachment):
    """An interview (约谈) of the kindergarten and/or its sponsor about the hazard."""

    order = models.ForeignKey(
        SupervisionOrder, verbose_name=_("督办"), on_delete=models.CASCADE, related_name="interviews"
    )
    held_on = models.DateField(_("约谈日期"))
    interviewer = models.CharField(_("约谈人"), max_length=100)
    party = models.CharField(_("约谈对象"), max_length=12, choices=InterviewParty.choices)
    attendees = models.CharField(_("被约谈人"), max_length=200)
    summary = models.TextField(_("约谈内容及要求"), max_length=3000)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    history = HistoricalRecords()

    objects = SupervisionChildQuerySet.as_manager()

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("约谈记录")
        verbose_name_plural = _("约谈记录")

    def __str__(self) -> str:
        return f"{_('约谈')} {self.held_on:%Y-%m-%d} · {self.attendees}"

    def get_file_url(self) -> str:
        return reverse("safety:supervision_file", args=["interview", self.pk])


class SupervisionNotice(SupervisionAttachment):
    """A public notice (通报) about the kindergarten and/or its sponsor."""

    order = models.ForeignKey(
        SupervisionOrder, verbose_name=_("督办"), on_delete=models.CASCADE, related_name="notices"
    )
    issued_on = models.DateField(_("通报日期"))
    issuer = models.CharField(_("通报单位"), max_length=100)
    party = models.CharField(_("通报对象"), max_length=12, choices=InterviewParty.choices)
    audience = models.CharField(_("通报范围"), max_length=100, help_text=_("例如：全区幼儿园、本街道"))
    text = models.TextField(_("通报内容"), max_length=5000)
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    history = HistoricalRecords()

    objects = SupervisionChildQuerySet.as_manager()

    class Meta:
        ordering = ["issued_on", "pk"]
        verbose_name = _("通报记录")
        verbose_name_plural = _("通报记录")

    def __str__(self) -> str:
        return f"{_('通报')} {self.issued_on:%Y-%m-%d} · {self.issuer}"

    def get_file_url(self) -> str:
        return reverse("safety:supervision_file", args=["notice", self.pk])
