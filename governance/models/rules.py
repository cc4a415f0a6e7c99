"""Recognition, fee and subsidy policy as versioned data (domain.md §1 and §7).

Seeded by data migrations; a change of policy is a new version entered by the bureau in the
admin (the old one gets a `valid_to`), never an edit of code.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import FeeItemKind, FeeKind, KindergartenGrade
from .common import Versioned

MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class RecognitionPolicy(Versioned):
    """How recognition works in a period: the conditions checked, the validity length and the warning."""

    name = models.CharField(_("名称"), max_length=100)
    conditions = models.JSONField(_("认定条件"), help_text=_("申请时逐项确认的条件（字符串列表）"), default=list)
    validity_years = models.PositiveSmallIntegerField(_("认定有效期（年）"), validators=[MinValueValidator(1)])
    warning_days = models.PositiveSmallIntegerField(
        _("到期预警天数"), help_text=_("有效期届满前多少天起列为“即将到期”")
    )
    history = HistoricalRecords()

    class Meta(Versioned.Meta):
        verbose_name = _("普惠认定规则")
        verbose_name_plural = _("普惠认定规则")

    def __str__(self) -> str:
        return f"{self.name}（{self.period_label()}）"

    def clean(self) -> None:
        if not isinstance(self.conditions, list) or not all(isinstance(c, str) and c.strip() for c in self.conditions):
            raise ValidationError({"conditions": _("认定条件应为非空字符串列表。")})
        super().clean()


class FeeCap(Versioned):
    """The monthly cap of one fee item for a kind of kindergarten and grade (government-guided fees)."""

    version_key = ("kind", "grade", "item")

    kind = models.CharField(_("适用园所"), max_length=20, choices=FeeKind.choices)
    grade = models.CharField(_("办园等级"), max_length=10, choices=KindergartenGrade.choices)
    item = models.CharField(_("收费项目"), max_length=20, choices=FeeItemKind.choices)
    monthly_cap = models.DecimalField(_("每生每月上限（元）"), **MONEY)
    history = HistoricalRecords()

    class Meta(Versioned.Meta):
        verbose_name = _("收费限价")
        verbose_name_plural = _("收费限价")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_grade_display()} {self.get_item_display()} ≤ {self.monthly_cap}"


class SeniorYearWaiver(Versioned):
    """The final-year care-and-education fee waiver (from autumn 2025): public kindergartens waive
    it, private ones deduct the equivalent — the public cap of their grade in force."""

    name = models.CharField(_("名称"), max_length=100)
    history = HistoricalRecords()

    class Meta(Versioned.Meta):
        verbose_name = _("大班保育教育费减免政策")
        verbose_name_plural = _("大班保育教育费减免政策")

    def __str__(self) -> str:
        return f"{self.name}（{self.period_label()}）"


class SubsidyRule(Versioned):
    """Beijing's subsidy for inclusive kindergartens (2018): per child and month by grade, per new
    place, rent per m² and day."""

    name = models.CharField(_("名称"), max_length=100)
    per_child_model_first = models.DecimalField(_("示范园、一级园生均补助（元/月）"), **MONEY)
    per_child_second_third = models.DecimalField(_("二级、三级园生均补助（元/月）"), **MONEY)
    per_new_place = models.DecimalField(_("新增学位一次性补助（元/个）"), **MONEY)
    rent_per_m2_day = models.DecimalField(_("租金补助（元/平方米/天）"), **MONEY)
    history = HistoricalRecords()

    class Meta(Versioned.Meta):
        verbose_name = _("普惠园补助标准")
        verbose_name_plural = _("普惠园补助标准")

    def __str__(self) -> str:
        return f"{self.name}（{self.period_label()}）"

    def per_child(self, grade: str) -> Decimal:
        if grade in (KindergartenGrade.MODEL, KindergartenGrade.FIRST):
            return self.per_child_model_first
        return self.per_child_second_third
