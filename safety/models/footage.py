"""The footage access register (监控查看、调取与复制登记).

Every request to view, retrieve or copy footage is an entry: who asks and why, which cameras and
period, and the decision (the kindergarten's director or bureau staff). **Once decided, an entry
is never edited or deleted** — not by a page, the API, the admin, a service, `save()`,
`QuerySet.update()` / `delete()` (and so `bulk_update`), nor a cascade: every path ends in
`RecordLocked`. A mistake is corrected by a new entry that refers to the original (`corrects`).
The hand-over of what was copied is recorded once after approval (`FootageHandover`), and is
itself immutable once saved. The users and kindergartens an entry names are `PROTECT`ed: a
cascade would otherwise null or remove them behind the guards' back.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet, ScopePaths
from kindergartens.models import Kindergarten

from ..choices import DECIDED_FOOTAGE_STATUSES, FootageAccess, FootageStatus
from .incidents import validate_no_id_number

LOCKED = _("该调取登记已审批，不能再修改或删除；如需更正，请新建一条更正登记。")
HANDOVER_LOCKED = _("移交记录保存后不能再修改或删除。")


class RecordLocked(PermissionDenied):
    """A decided footage entry (or a saved hand-over) was about to change. Pages answer 403 with
    its message, the API 409."""


class FootageRequestQuerySet(ScopedQuerySet):
    def decided(self) -> FootageRequestQuerySet:
        return self.filter(status__in=DECIDED_FOOTAGE_STATUSES)

    def pending(self) -> FootageRequestQuerySet:
        return self.filter(status=FootageStatus.PENDING)

    def update(self, **kwargs) -> int:
        if self.decided().exists():
            raise RecordLocked(str(LOCKED))
        return super().update(**kwargs)

    def delete(self):
        if self.decided().exists():
            raise RecordLocked(str(LOCKED))
        return super().delete()

    delete.queryset_only = True


class FootageRequest(models.Model):
    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="footage_requests"
    )
    access = models.CharField(_("申请事项"), max_length=10, choices=FootageAccess.choices)
    requester_name = models.CharField(_("申请人"), max_length=50)
    requester_org = models.CharField(
        _("申请人单位"), max_length=100, help_text=_("如“朝阳分局望京派出所”或“中二班幼儿家长”")
    )
    purpose = models.TextField(_("申请理由"), validators=[validate_no_id_number])
    cameras = models.CharField(
        _("监控点位"), max_length=200, help_text=_("摄像头编号或位置，如“1 号门厅、3 号户外场地”")
    )
    period_from = models.DateTimeField(_("录像起始时间"))
    period_to = models.DateTimeField(_("录像结束时间"))
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    status = models.CharField(
        _("审批结果"), max_length=10, choices=FootageStatus.choices, default=FootageStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的登记"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    correction_reason = models.CharField(_("更正原因"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = FootageRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("监控调取登记")
        verbose_name_plural = _("监控调取登记")
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.get_access_display()} · {self.requester_org}"

    def save(self, *args, **kwargs) -> None:
        if self.stored_is_decided():
            raise RecordLocked(str(LOCKED))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("safety:footage_detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        if self.is_decided or self.stored_is_decided():
            raise RecordLocked(str(LOCKED))
        return super().delete(*args, **kwargs)

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_FOOTAGE_STATUSES

    def stored_is_decided(self) -> bool:
        """Whether the row as stored is decided (what this instance holds may have been changed)."""
        if self.pk is None:
            return False
        return type(self)._base_manager.filter(pk=self.pk, status__in=DECIDED_FOOTAGE_STATUSES).exists()

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.period_from and self.period_to and self.period_to <= self.period_from:
            errors.setdefault("period_to", []).append(_("录像结束时间须晚于起始时间。"))
        if self.period_from and self.period_from > timezone.now():
            errors.setdefault("period_from", []).append(_("录像起始时间不能晚于现在。"))
        if self.is_decided and not (self.decided_by_id and self.decided_at):
            errors.setdefault("status", []).append(_("审批结果须有审批人和审批时间。"))
        if self.corrects_id:
            if self.corrects_id == self.pk:
                errors.setdefault("corrects", []).append(_("登记不能更正自身。"))
            elif self.kindergarten_id and self.corrects.kindergarten_id != self.kindergarten_id:
                errors.setdefault("corrects", []).append(_("只能更正本园的登记。"))
            if not self.correction_reason.strip():
                errors.setdefault("correction_reason", []).append(_("请说明更正原因。"))
        if errors:
            raise ValidationError(errors)


class FootageHandoverQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="request__kindergarten", subdistrict="request__kindergarten__subdistrict")

    def update(self, **kwargs) -> int:
        if self.exists():
            raise RecordLocked(str(HANDOVER_LOCKED))
        return super().update(**kwargs)

    def delete(self):
        if self.exists():
            raise RecordLocked(str(HANDOVER_LOCKED))
        return super().delete()

    delete.queryset_only = True


class FootageHandover(models.Model):
    """What was copied and handed to whom, when: once per approved entry, never changed."""

    request = models.OneToOneField(
        FootageRequest, verbose_name=_("调取登记"), on_delete=models.PROTECT, related_name="handover"
    )
    copied = models.CharField(
        _("复制内容"), max_length=200, help_text=_("如“1 号门厅摄像头 08:00–08:30 录像，U 盘 1 个”")
    )
    handed_to = models.CharField(_("移交对象"), max_length=100, help_text=_("接收人及其单位"))
    handed_at = models.DateTimeField(_("移交时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = FootageHandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("移交记录")
        verbose_name_plural = _("移交记录")

    def __str__(self) -> str:
        return f"{self.copied} → {self.handed_to}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding or (self.pk and type(self)._base_manager.filter(pk=self.pk).exists()):
            raise RecordLocked(str(HANDOVER_LOCKED))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordLocked(str(HANDOVER_LOCKED))

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.request_id and self.request.status != FootageStatus.APPROVED:
            errors.setdefault("request", []).append(_("只有已批准的调取登记才能登记移交。"))
        if self.handed_at and self.handed_at > timezone.now():
            errors.setdefault("handed_at", []).append(_("移交时间不能晚于现在。"))
        # Forms give minutes: a hand-over in the minute of the decision is not before it.
        decided_minute = (
            self.request.decided_at.replace(second=0, microsecond=0)
            if self.request_id and self.request.decided_at
            else None
        )
        if self.handed_at and decided_minute and self.handed_at < decided_minute:
            errors.setdefault("handed_at", []).append(_("移交时间不能早于审批时间。"))
        if errors:
            raise ValidationError(errors)


# The signals guard the paths that skip `save()`/`delete()` of the instance but still announce
# themselves (a cascade collecting rows, a raw fixture load, the admin's bulk deletion).
@receiver(pre_save, sender=FootageRequest, dispatch_uid="footage_request_locked_on_save")
def _refuse_saving_decided(sender, instance: FootageRequest, raw: bool = False, **kwargs) -> None:
    if instance.stored_is_decided():
        raise RecordLocked(str(LOCKED))


@receiver(pre_delete, sender=FootageRequest, dispatch_uid="footage_request_locked_on_delete")
def _refuse_deleting_decided(sender, instance: FootageRequest, **kwargs) -> None:
    if instance.is_decided or instance.stored_is_decided():
        raise RecordLocked(str(LOCKED))


@receiver(pre_save, sender=FootageHandover, dispatch_uid="footage_handover_locked_on_save")
def _refuse_changing_handover(sender, instance: FootageHandover, **kwargs) -> None:
    if instance.pk and sender._base_manager.filter(pk=instance.pk).exists():
        raise RecordLocked(str(HANDOVER_LOCKED))


@receiver(pre_delete, sender=FootageHandover, dispatch_uid="footage_handover_locked_on_delete")
def _refuse_deleting_handover(sender, instance: FootageHandover, **kwargs) -> None:
    raise RecordLocked(str(HANDOVER_LOCKED))
