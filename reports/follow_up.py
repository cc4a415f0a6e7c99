"""The human follow-up of early warnings: status, owner, dated notes.

`EarlyWarning` rows are deleted and rebuilt by every computation, so what people do about a
warning lives here, keyed by the warning's identity (kind, sub-district, kindergarten, year) and
not by its row. A warning of any date finds its follow-up through that identity.

Reopening rule: resolving records the statistical date of the latest warning it answers
(`resolved_as_of`). When a computation for a LATER statistical date raises the same warning again,
the follow-up goes back to "new" (its owner and notes stay, a note records the reopening).
Recomputing the same date, or an earlier one, does not reopen it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet, ScopePaths

from .choices import WarningKind


class FollowUpStatus(models.TextChoices):
    NEW = "new", _("新预警")
    ACKNOWLEDGED = "acknowledged", _("已确认")
    IN_HAND = "in_hand", _("处理中")
    RESOLVED = "resolved", _("已解决")


# Sort rank: new first, resolved last.
STATUS_RANK = {
    FollowUpStatus.NEW: 0,
    FollowUpStatus.ACKNOWLEDGED: 1,
    FollowUpStatus.IN_HAND: 2,
    FollowUpStatus.RESOLVED: 3,
}


class FollowUpQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="kindergarten", subdistrict="subdistrict")
    change_roles = frozenset()


class WarningFollowUp(models.Model):
    """What the bureau does about one warning, whatever date's computation raised it."""

    kind = models.CharField(_("预警类型"), max_length=32, choices=WarningKind.choices)
    subdistrict = models.ForeignKey(
        "kindergartens.Subdistrict", verbose_name=_("街道/地区"), on_delete=models.CASCADE, related_name="+"
    )
    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten",
        verbose_name=_("幼儿园"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # The kindergarten's id or 0: a NULL would not collide in the unique constraint.
    kindergarten_key = models.PositiveIntegerField(default=0, editable=False)
    year = models.PositiveSmallIntegerField(_("年份"))
    status = models.CharField(_("跟进状态"), max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.NEW)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The statistical date of the latest warning when it was resolved: a later date's warning reopens it.
    resolved_as_of = models.DateField(_("解决时的统计日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("预警跟进")
        verbose_name_plural = _("预警跟进")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subdistrict", "kindergarten_key", "year"], name="unique_warning_follow_up"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subdistrict_id} {self.year} {self.get_status_display()}"

    def save(self, *args, **kwargs) -> None:
        self.kindergarten_key = self.kindergarten_id or 0
        super().save(*args, **kwargs)


class WarningNote(models.Model):
    """A dated note on a follow-up, with its author; system notes (a reopening) have none."""

    follow_up = models.ForeignKey(
        WarningFollowUp, verbose_name=_("预警跟进"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    text = models.TextField(_("内容"), max_length=2000)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")

    def __str__(self) -> str:
        return self.text[:40]
