"""Fees (收费): the items each kindergarten files per school year against the caps in force, the
registered account and yearly income and expenditure of non-profit private kindergartens, and
the alerts their anomalies raise (open → resolved by the bureau with a note)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet, ScopePaths
from kindergartens.models import Kindergarten

from ..choices import AlertKind, AlertStatus, FeeItemKind, KindergartenGrade
from .rules import MONEY

SCHOOL_YEAR = {"validators": [MinValueValidator(2000), MaxValueValidator(2100)]}


def school_year_label(start_year: int) -> str:
    return f"{start_year}-{start_year + 1}"


class FeeFiling(models.Model):
    """A kindergarten's fees for one school year (收费备案), filed by its director or the bureau."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="fee_filings"
    )
    school_year = models.PositiveSmallIntegerField(_("学年（起始年份）"), **SCHOOL_YEAR)
    grade = models.CharField(_("办园等级"), max_length=10, choices=KindergartenGrade.choices)
    filed_on = models.DateField(_("备案日期"), default=timezone.localdate)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("备案人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year", "kindergarten__code"]
        verbose_name = _("收费备案")
        verbose_name_plural = _("收费备案")
        constraints = [
            models.UniqueConstraint(fields=["kindergarten", "school_year"], name="governance_one_filing_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.kindergarten} · {school_year_label(self.school_year)}"

    def get_absolute_url(self) -> str:
        return reverse("governance:fee_filing_detail", args=[self.pk])

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)


class FeeItemQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="filing__kindergarten", subdistrict="filing__kindergarten__subdistrict")


class FeeItem(models.Model):
    """One item of a filing, per child and month."""

    filing = models.ForeignKey(FeeFiling, verbose_name=_("收费备案"), on_delete=models.CASCADE, related_name="items")
    item = models.CharField(_("收费项目"), max_length=20, choices=FeeItemKind.choices)
    description = models.CharField(_("项目说明"), max_length=100, blank=True)
    monthly_amount = models.DecimalField(_("每生每月（元）"), **MONEY)
    history = HistoricalRecords()

    objects = FeeItemQuerySet.as_manager()

    class Meta:
        ordering = ["filing", "item"]
        verbose_name = _("收费项目")
        verbose_name_plural = _("收费项目")
        constraints = [models.UniqueConstraint(fields=["filing", "item"], name="governance_one_item_a_kind")]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {self.monthly_amount}"

    def clean(self) -> None:
        if self.item == FeeItemKind.OTHER and not self.description.strip():
            raise ValidationError({"description": _("“其他”收费项目须说明收费内容。")})


account_number_validator = RegexValidator(r"^[0-9 ]{8,30}$", _("账号应为 8–30 位数字。"))


class RegisteredAccount(models.Model):
    """The account a non-profit private kindergarten registered for its fees and public funds."""

    kindergarten = models.OneToOneField(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="registered_account"
    )
    bank = models.CharField(_("开户银行"), max_length=100)
    account_name = models.CharField(_("户名"), max_length=100)
    account_number = models.CharField(_("账号"), max_length=30, validators=[account_number_validator])
    registered_on = models.DateField(_("备案日期"), default=timezone.localdate)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kindergarten__code"]
        verbose_name = _("收费账户备案")
        verbose_name_plural = _("收费账户备案")

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.bank}"

    @property
    def masked_number(self) -> str:
        digits = self.account_number.replace(" ", "")
        return f"****{digits[-4:]}"


class FinancialSummary(models.Model):
    """A calendar year's income and expenditure, and what was paid to the sponsor (举办者)."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="financial_summaries"
    )
    year = models.PositiveSmallIntegerField(_("年度"), **SCHOOL_YEAR)
    income = models.DecimalField(_("收入（元）"), max_digits=14, decimal_places=2, validators=MONEY["validators"])
    expenditure = models.DecimalField(_("支出（元）"), max_digits=14, decimal_places=2, validators=MONEY["validators"])
    sponsor_payments = models.DecimalField(
        _("向举办者支付（元）"), max_digits=14, decimal_places=2, default=0, validators=MONEY["validators"]
    )
    note = models.TextField(_("说明"), blank=True)
    filed_on = models.DateField(_("报送日期"), default=timezone.localdate)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "kindergarten__code"]
        verbose_name = _("年度收支情况")
        verbose_name_plural = _("年度收支情况")
        constraints = [models.UniqueConstraint(fields=["kindergarten", "year"], name="governance_one_summary_a_year")]

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.year}"

    @property
    def balance(self):
        return self.income - self.expenditure


class FeeAlertQuerySet(ScopedQuerySet):
    change_roles = frozenset()  # the bureau resolves alerts

    def open_on(self, day: datetime.date) -> FeeAlertQuerySet:
        """Raised on or before `day` and not resolved on it (still open, or resolved only after)."""
        return self.filter(Q(status=AlertStatus.OPEN) | Q(resolved_on__gt=day), raised_on__lte=day)


class FeeAlert(models.Model):
    """An anomaly of fees or finances, open until the bureau resolves it with a note."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="fee_alerts"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=AlertKind.choices)
    # What the alert is about, so the same anomaly is raised once while open ("2025:care_education").
    key = models.CharField(_("对象"), max_length=40)
    detail = models.TextField(_("情况"))
    raised_on = models.DateField(_("发现日期"), default=timezone.localdate)
    status = models.CharField(_("状态"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    resolved_on = models.DateField(_("处理日期"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution_note = models.TextField(_("处理说明"), blank=True)
    history = HistoricalRecords()

    objects = FeeAlertQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-raised_on", "pk"]
        verbose_name = _("收费预警")
        verbose_name_plural = _("收费预警")
        constraints = [
            models.UniqueConstraint(
                fields=["kindergarten", "kind", "key"],
                condition=Q(status="open"),
                name="governance_one_open_alert_per_anomaly",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("governance:fee_alert_detail", args=[self.pk])
