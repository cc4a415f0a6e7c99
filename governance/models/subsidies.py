"""Subsidies and aid (资助): money paid to inclusive private kindergartens against their computed
entitlement (`governance.subsidies`), and the children aided — by initials and category only."""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet
from kindergartens.models import Kindergarten

from ..choices import AidCategory
from .fees import SCHOOL_YEAR
from .rules import MONEY


class Disbursement(models.Model):
    """Money paid to a kindergarten for one month's subsidy (拨付)."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="disbursements"
    )
    month = models.DateField(_("补助月份"), help_text=_("该月第一天"))
    amount = models.DecimalField(_("拨付金额（元）"), max_digits=14, decimal_places=2, validators=MONEY["validators"])
    paid_on = models.DateField(_("拨付日期"), default=timezone.localdate)
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
        ordering = ["-month", "kindergarten__code"]
        verbose_name = _("补助拨付")
        verbose_name_plural = _("补助拨付")

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.month:%Y-%m} · {self.amount}"

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("补助月份请填写该月第一天。")})


# Initials only: one to six Latin letters (a pinyin abbreviation such as "ZXM").
INITIALS = re.compile(r"^[A-Z]{1,6}$")
ID_NUMBER = re.compile(r"\d{6,}")


def validate_initials(value: str) -> None:
    """Refuses anything that could be a name or an ID number: only initials are kept."""
    if ID_NUMBER.search(value or ""):
        raise ValidationError(_("不得填写身份证号等证件号码，只填写姓名拼音首字母。"), code="id_number")
    if not INITIALS.match(value or ""):
        raise ValidationError(_("只填写姓名拼音首字母（1–6 个大写字母），不得填写姓名。"), code="not_initials")


class AidRecipient(models.Model):
    """A child aided in a school year: initials, category and amount — never a name or ID number."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="aid_recipients"
    )
    school_year = models.PositiveSmallIntegerField(_("学年（起始年份）"), **SCHOOL_YEAR)
    initials = models.CharField(_("幼儿姓名首字母"), max_length=6, validators=[validate_initials])
    category = models.CharField(_("资助类别"), max_length=12, choices=AidCategory.choices)
    amount = models.DecimalField(_("资助金额（元）"), max_digits=10, decimal_places=2, validators=MONEY["validators"])
    recorded_on = models.DateField(_("登记日期"), default=timezone.localdate)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year", "kindergarten__code", "initials"]
        verbose_name = _("受资助幼儿")
        verbose_name_plural = _("受资助幼儿")

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.initials} · {self.get_category_display()}"


class NewPlace(models.Model):
    """New places (新增学位) the bureau approved for a kindergarten: the facts behind the one-off
    per-place subsidy, paid in the month of approval while the kindergarten is recognised."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="new_places"
    )
    approved_on = models.DateField(_("批准日期"))
    places = models.PositiveIntegerField(_("新增学位数"), validators=[MinValueValidator(1)])
    reference = models.CharField(_("批准文号"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_on", "kindergarten__code"]
        verbose_name = _("新增学位")
        verbose_name_plural = _("新增学位")

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.approved_on:%Y-%m-%d} · {self.places}"


class RentedPremises(models.Model):
    """Premises a kindergarten rents (租赁园舍): floor area and rental period, the facts behind the
    rent subsidy (rate per m² and day) for the days both the lease and the recognition cover."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="rented_premises"
    )
    area_m2 = models.DecimalField(
        _("租赁面积（平方米）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    rent_from = models.DateField(_("租期起始"))
    rent_to = models.DateField(_("租期截止"), help_text=_("含当日"))
    lessor = models.CharField(_("出租方"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kindergarten__code", "-rent_from"]
        verbose_name = _("租赁园舍")
        verbose_name_plural = _("租赁园舍")

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.area_m2} m² · {self.rent_from:%Y-%m-%d}~{self.rent_to:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        if self.rent_from and self.rent_to and self.rent_to < self.rent_from:
            raise ValidationError({"rent_to": _("租期截止不能早于租期起始。")})
