"""Conduct inspections and enforcement (规范办园行为): rectification orders with follow-up visits,
unlicensed-kindergarten cases and conduct cases."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.choices import Role
from accounts.scoping import ScopedQuerySet, ScopePaths

from ..choices import CaseStatus, ConductCaseKind, OrderReason, OrderStatus, PenaltyKind, UnlicensedCaseStatus


class EnforcementQuerySet(ScopedQuerySet):
    # Inspectors issue and follow up orders on their kindergartens; directors only read their own.
    change_roles = frozenset({Role.INSPECTOR})

    def status_totals(self, today: datetime.date | None = None) -> dict[str, int]:
        """Open, overdue, rectified and penalised orders, counted in one query."""
        today = today or timezone.localdate()
        return self.aggregate(
            open=models.Count("pk", filter=Q(status=OrderStatus.OPEN)),
            overdue=models.Count("pk", filter=Q(status=OrderStatus.OPEN, deadline__lt=today)),
            rectified=models.Count("pk", filter=Q(status=OrderStatus.RECTIFIED)),
            penalised=models.Count("pk", filter=Q(status=OrderStatus.PENALISED)),
        )

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
    # Cases are the bureau's and the sub-district's business, not the director's.
    hidden_from = frozenset({Role.DIRECTOR})


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
