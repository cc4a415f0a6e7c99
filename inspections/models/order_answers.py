"""A director's answers to a rectification order (整改报告) and their evidence files.

Each answer is one round of the loop: the director answers (report + files), then the issuing
inspector or the bureau accepts it (the order is closed as rectified) or sends it back with a
reason (the director answers again). Every step keeps who and when on the answer row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.choices import Role
from accounts.scoping import ScopedQuerySet, ScopePaths

from .common import AttachmentBase
from .enforcement import RectificationOrder


class AnswerDecision(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已通过")
    SENT_BACK = "sent_back", _("已退回")


class AnswerQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="order__kindergarten", subdistrict="order__kindergarten__subdistrict")
    change_roles = frozenset({Role.DIRECTOR, Role.INSPECTOR})


class OrderAnswer(models.Model):
    order = models.ForeignKey(
        RectificationOrder, verbose_name=_("整改通知"), on_delete=models.CASCADE, related_name="answers"
    )
    report = models.TextField(_("整改报告"), max_length=3000)
    answered_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    decision = models.CharField(
        _("审核结论"), max_length=16, choices=AnswerDecision.choices, default=AnswerDecision.PENDING
    )
    reason = models.TextField(_("退回理由"), max_length=2000, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["order", "answered_at", "pk"]
        verbose_name = _("整改报告")
        verbose_name_plural = _("整改报告")

    def __str__(self) -> str:
        return f"{self.order} · {self.get_decision_display()}"


class OrderAnswerAttachmentQuerySet(ScopedQuerySet):
    scope = ScopePaths(
        kindergarten="answer__order__kindergarten", subdistrict="answer__order__kindergarten__subdistrict"
    )
    change_roles = frozenset({Role.DIRECTOR})


class OrderAnswerAttachment(AttachmentBase):
    """Evidence of a rectification (photos, documents), served only after the order's scope check."""

    folder = "inspections/orders"
    folder_key = "answer.order.kindergarten_id"

    answer = models.ForeignKey(OrderAnswer, verbose_name=_("整改报告"), on_delete=models.CASCADE, related_name="files")
    history = HistoricalRecords()

    objects = OrderAnswerAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["answer", "uploaded_at", "pk"]
        verbose_name = _("整改佐证")
        verbose_name_plural = _("整改佐证")

    def get_absolute_url(self) -> str:
        return reverse("inspections:order_answer_file", args=[self.pk])
