"""Pay and rights: a yearly filing per kindergarten (average pay by role and establishment,
social insurance and housing fund coverage, paid holiday leave by rotation) and the public
kindergartens' pay benchmark of each year (data).

A private kindergarten is flagged when a line's average pay is below the benchmark of its year
and role, or when anyone required to be covered by social insurance or the housing fund is not.
The flags are computed by the database (`PayFilingQuerySet.with_flags`), never stored, so a
corrected benchmark changes them at once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import DistrictWideQuerySet, ScopedQuerySet, ScopePaths
from kindergartens.choices import PUBLIC_SPONSORS
from kindergartens.models import Kindergarten

from ..choices import Establishment, StaffRole

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def _money(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=9, decimal_places=2, validators=[MinValueValidator(0)])


class PayBenchmark(models.Model):
    """The average monthly pay of a role in public kindergartens in a year (公办园参照标准)."""

    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    role = models.CharField(_("岗位"), max_length=20, choices=StaffRole.choices)
    average_monthly_pay = _money(_("公办园月平均工资（元）"))
    source = models.CharField(_("依据"), max_length=200)
    history = HistoricalRecords()

    objects = DistrictWideQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "role"]
        verbose_name = _("公办园工资参照标准")
        verbose_name_plural = _("公办园工资参照标准")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "role"],
                name="staff_one_benchmark_per_year_role",
                violation_error_message=_("该年度该岗位已有参照标准。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_role_display()} {self.average_monthly_pay}"


def _benchmark_for_line() -> Subquery:
    return Subquery(
        PayBenchmark.objects.filter(year=OuterRef("filing__year"), role=OuterRef("role")).values("average_monthly_pay")[
            :1
        ]
    )


class PayFilingQuerySet(ScopedQuerySet):
    def with_flags(self) -> PayFilingQuerySet:
        """Annotates ``below_benchmark``, ``uncovered``, ``is_private`` and ``flagged``."""
        below = PayLine.objects.annotate(benchmark=_benchmark_for_line()).filter(
            filing=OuterRef("pk"), average_monthly_pay__lt=F("benchmark")
        )
        uncovered = Q(insurance_covered__lt=F("insurance_required")) | Q(housing_covered__lt=F("housing_required"))
        private = ~Q(kindergarten__sponsor_type__in=list(PUBLIC_SPONSORS))
        return self.annotate(
            below_benchmark=Exists(below),
            uncovered=Case(When(uncovered, then=Value(True)), default=Value(False)),
            is_private=Case(When(private, then=Value(True)), default=Value(False)),
        ).annotate(
            flagged=Case(
                When(Q(is_private=True) & (Q(below_benchmark=True) | Q(uncovered=True)), then=Value(True)),
                default=Value(False),
            )
        )


class PayFiling(models.Model):
    """A kindergarten's yearly filing on pay and rights (工资待遇与权益保障年度填报)."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="pay_filings"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    insurance_required = models.PositiveIntegerField(_("应参加社会保险人数"))
    insurance_covered = models.PositiveIntegerField(_("已参加社会保险人数"))
    housing_required = models.PositiveIntegerField(_("应缴住房公积金人数"))
    housing_covered = models.PositiveIntegerField(_("已缴住房公积金人数"))
    leave_entitled = models.PositiveIntegerField(_("应享带薪休假人数"))
    leave_taken = models.PositiveIntegerField(_("已轮休带薪假人数"))
    rotation_arranged = models.BooleanField(_("已安排带薪休假轮休"), default=False)
    note = models.TextField(_("说明"), max_length=2000, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = PayFilingQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "kindergarten__code"]
        verbose_name = _("工资待遇年度填报")
        verbose_name_plural = _("工资待遇年度填报")
        constraints = [
            models.UniqueConstraint(
                fields=["kindergarten", "year"],
                name="staff_one_pay_filing_per_year",
                violation_error_message=_("该幼儿园本年度已填报。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("staff:pay_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, list] = {}
        for covered, required in (
            ("insurance_covered", "insurance_required"),
            ("housing_covered", "housing_required"),
            ("leave_taken", "leave_entitled"),
        ):
            if (getattr(self, covered) or 0) > (getattr(self, required) or 0):
                errors.setdefault(covered, []).append(_("不能多于应有人数。"))
        if errors:
            raise ValidationError(errors)

    @property
    def insurance_rate(self):
        return self.insurance_covered / self.insurance_required if self.insurance_required else None

    @property
    def housing_rate(self):
        return self.housing_covered / self.housing_required if self.housing_required else None


class PayLineQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="filing__kindergarten", subdistrict="filing__kindergarten__subdistrict")

    def with_benchmark(self) -> PayLineQuerySet:
        return self.annotate(benchmark=_benchmark_for_line())


class PayLine(models.Model):
    """Average monthly pay of one role and establishment status in a filing."""

    filing = models.ForeignKey(PayFiling, verbose_name=_("填报"), on_delete=models.CASCADE, related_name="lines")
    role = models.CharField(_("岗位"), max_length=20, choices=StaffRole.choices)
    establishment = models.CharField(_("编制情况"), max_length=16, choices=Establishment.choices)
    headcount = models.PositiveIntegerField(_("人数"), validators=[MinValueValidator(1)])
    average_monthly_pay = _money(_("月平均工资（元）"))
    history = HistoricalRecords()

    objects = PayLineQuerySet.as_manager()

    class Meta:
        ordering = ["filing", "role", "establishment"]
        verbose_name = _("工资明细")
        verbose_name_plural = _("工资明细")
        constraints = [
            models.UniqueConstraint(
                fields=["filing", "role", "establishment"],
                name="staff_one_pay_line_per_role",
                violation_error_message=_("同一岗位和编制情况只能填一行。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.get_establishment_display()}"
