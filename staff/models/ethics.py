"""Ethics (师德师风): yearly self-checks per kindergarten, warnings and violations with their
outcomes, optionally linked to a conduct case of the enforcement module."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.choices import Role
from accounts.scoping import ScopedQuerySet
from kindergartens.models import Kindergarten

from ..choices import EthicsKind, EthicsSeverity
from .people import Person


class EthicsSelfCheck(models.Model):
    """A kindergarten's yearly ethics self-check (师德师风自查)."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="ethics_self_checks"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    completed_on = models.DateField(_("完成日期"))
    staff_checked = models.PositiveIntegerField(_("参加自查人数"))
    findings = models.TextField(_("发现的问题"), max_length=3000, blank=True)
    actions = models.TextField(_("整改措施"), max_length=3000, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "kindergarten__code"]
        verbose_name = _("师德师风自查")
        verbose_name_plural = _("师德师风自查")
        constraints = [
            models.UniqueConstraint(
                fields=["kindergarten", "year"],
                name="staff_one_ethics_check_a_year",
                violation_error_message=_("该幼儿园本年度已提交自查。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.year}"


class EthicsRecordQuerySet(ScopedQuerySet):
    # Recorded by the bureau and the inspectors on their kindergartens (the services ask `may()`).
    change_roles = frozenset({Role.INSPECTOR})

    def serious(self) -> EthicsRecordQuerySet:
        return self.filter(kind=EthicsKind.VIOLATION, severity=EthicsSeverity.SERIOUS)


class EthicsRecord(models.Model):
    """A warning to, or a violation by, a member of staff, with its outcome."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="ethics_records"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("当事人"), on_delete=models.PROTECT, related_name="ethics_records"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=EthicsKind.choices)
    severity = models.CharField(
        _("严重程度"), max_length=10, choices=EthicsSeverity.choices, default=EthicsSeverity.GENERAL
    )
    occurred_on = models.DateField(_("发生日期"))
    description = models.TextField(_("事实经过"), max_length=3000)
    outcome = models.TextField(_("处理结果"), max_length=3000, blank=True)
    decided_on = models.DateField(_("处理日期"), null=True, blank=True)
    conduct_case = models.ForeignKey(
        "inspections.ConductCase",
        verbose_name=_("关联案件"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ethics_records",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = EthicsRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "pk"]
        verbose_name = _("师德师风记录")
        verbose_name_plural = _("师德师风记录")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}（{self.occurred_on:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return reverse("staff:ethics_list") + f"?kindergarten={self.kindergarten_id}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.kind == EthicsKind.WARNING and self.severity == EthicsSeverity.SERIOUS:
            errors.setdefault("severity", []).append(_("警示提醒不分严重程度，严重情形请登记为违反师德行为。"))
        if self.decided_on and self.occurred_on and self.decided_on < self.occurred_on:
            errors.setdefault("decided_on", []).append(_("处理日期不能早于发生日期。"))
        if self.decided_on and not self.outcome:
            errors.setdefault("outcome", []).append(_("请填写处理结果。"))
        case = self.conduct_case
        if case is not None and self.kindergarten_id and case.kindergarten_id != self.kindergarten_id:
            errors.setdefault("conduct_case", []).append(_("关联案件不是该幼儿园的案件。"))
        if errors:
            raise ValidationError(errors)


def ethics_flags_for(person: Person | int) -> list[EthicsRecord]:
    """The person's serious violations at any kindergarten, newest first.

    Deliberately not narrowed to the caller's scope: a kindergarten taking someone on must learn
    of a serious violation recorded elsewhere (the records' details stay behind their own scope).
    """
    pk = getattr(person, "pk", person)
    return list(
        EthicsRecord.objects.serious().filter(person=pk).select_related("kindergarten").order_by("-occurred_on")
    )
