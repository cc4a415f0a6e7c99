"""The staffing standard as versioned data (幼儿园教职工配备标准(暂行), 2013; domain.md §2).

Ratios, per-class staffing, the principal ladder, health staff per children, children per
full-time teacher, required certificates and the certificate-reminder horizon are policy the
bureau changes: rows here, never constants in code. One version is in force on any date.
"""

from __future__ import annotations

import datetime
import itertools
import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import DistrictWideQuerySet

from ..choices import PRINCIPAL_ROLES, CertificateKind, DayType, StaffRole


class StaffingStandardQuerySet(DistrictWideQuerySet):
    def in_force(self, day: datetime.date) -> StaffingStandardQuerySet:
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def for_day(self, day: datetime.date) -> StaffingStandard | None:
        """The version in force on `day` (the latest if, against the rules, several are)."""
        return self.in_force(day).order_by("-valid_from").first()


def _positive(label, **kwargs):
    return models.PositiveSmallIntegerField(label, validators=[MinValueValidator(1)], **kwargs)


def _rate(label):
    return models.DecimalField(
        label, max_digits=5, decimal_places=4, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )


class StaffingStandard(models.Model):
    """One version of the staffing standard, valid from one date to another (or open-ended).

    A ratio "1:5 – 1:7" is stored as its two children-per-staff figures; the standard is met while
    the children per staff member do not exceed the larger one.
    """

    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("依据文件"), max_length=200)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)

    full_day_staff_ratio_low = _positive(_("全日制 全园教职工与幼儿比 下限（1:N）"))
    full_day_staff_ratio_high = _positive(_("全日制 全园教职工与幼儿比 上限（1:N）"))
    full_day_carer_ratio_low = _positive(_("全日制 保教人员与幼儿比 下限（1:N）"))
    full_day_carer_ratio_high = _positive(_("全日制 保教人员与幼儿比 上限（1:N）"))
    full_day_teachers_per_class = _positive(_("全日制 每班专任教师"))
    full_day_carers_per_class = _positive(_("全日制 每班保教人员（专任教师 + 保育员）"))
    half_day_staff_ratio_low = _positive(_("半日制 全园教职工与幼儿比 下限（1:N）"))
    half_day_staff_ratio_high = _positive(_("半日制 全园教职工与幼儿比 上限（1:N）"))
    half_day_carer_ratio_low = _positive(_("半日制 保教人员与幼儿比 下限（1:N）"))
    half_day_carer_ratio_high = _positive(_("半日制 保教人员与幼儿比 上限（1:N）"))
    half_day_teachers_per_class = _positive(_("半日制 每班专任教师"))
    half_day_carers_per_class = _positive(_("半日制 每班保教人员（专任教师 + 保育员）"))
    # Principals (园长 and 副园长): the band whose upper bound the classes do not exceed gives the
    # most allowed; above the last band, `principals_above`. At least one in every kindergarten.
    principal_bands = models.JSONField(
        _("园长配备档位"), help_text=_("按班级数上限升序排列的 [班级数上限, 最多园长人数] 列表，如 [[5, 1], [9, 2]]")
    )
    principals_above = _positive(_("超过最后档位时最多园长人数"))
    children_per_health_staff = _positive(_("每名专职卫生保健人员对应幼儿数"))
    children_per_fulltime_teacher = _positive(_("每名专任教师最多对应幼儿数"))
    teacher_certified_rate = _rate(_("专任教师持证率要求"))
    principal_certified_rate = _rate(_("园长持证率要求"))
    # {role: [certificate kinds]}: what a person in that role must hold, valid on the day.
    required_certificates = models.JSONField(
        _("岗位应持证书"), help_text=_('如 {"principal": ["teacher", "principal"], "teacher": ["teacher"]}')
    )
    expiry_notice_days = _positive(_("证书到期提醒天数"))
    history = HistoricalRecords()

    objects = StaffingStandardQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("教职工配备标准版本")
        verbose_name_plural = _("教职工配备标准版本")

    def __str__(self) -> str:
        return f"{self.name}（{self.valid_from:%Y-%m-%d} 起）"

    def clean(self) -> None:
        errors: dict[str, list] = {}

        def add(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            add("valid_to", _("失效日期不能早于生效日期。"))
        for prefix in ("full_day_staff", "full_day_carer", "half_day_staff", "half_day_carer"):
            low, high = getattr(self, f"{prefix}_ratio_low"), getattr(self, f"{prefix}_ratio_high")
            if low and high and low > high:
                add(f"{prefix}_ratio_high", _("比例上限不能小于下限。"))
        bands = self.principal_bands
        valid = (
            isinstance(bands, list)
            and bands
            and all(
                isinstance(b, list | tuple) and len(b) == 2 and all(isinstance(n, int) and n > 0 for n in b)
                for b in bands
            )
        )
        if not valid:
            add("principal_bands", _("园长配备档位应为 [班级数上限, 最多园长人数] 的正整数列表。"))
        elif any(later[0] <= earlier[0] or later[1] < earlier[1] for earlier, later in itertools.pairwise(bands)):
            add("principal_bands", _("档位应按班级数上限升序排列，园长人数不减少。"))
        required = self.required_certificates
        if not isinstance(required, dict) or any(
            role not in StaffRole.values
            or not isinstance(kinds, list)
            or any(kind not in CertificateKind.values for kind in kinds)
            for role, kinds in required.items()
        ):
            add("required_certificates", _("应为 {岗位: [证书类型, …]}，岗位和证书类型取自列出的选项。"))
        if self.valid_from and not errors:
            overlapping = StaffingStandard.objects.exclude(pk=self.pk).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
            )
            if self.valid_to:
                overlapping = overlapping.filter(valid_from__lte=self.valid_to)
            if overlapping.exists():
                add("valid_from", _("与已有标准版本的有效期重叠。"))
        if errors:
            raise ValidationError(errors)

    def ratios(self, day_type: str) -> dict[str, int]:
        """The figures of one day type, keyed without their prefix (staff_ratio_high, …)."""
        prefix = "full_day" if day_type == DayType.FULL_DAY else "half_day"
        names = ("staff_ratio_low", "staff_ratio_high", "carer_ratio_low", "carer_ratio_high")
        names += ("teachers_per_class", "carers_per_class")
        return {name: getattr(self, f"{prefix}_{name}") for name in names}

    def max_principals(self, classes: int) -> int:
        for max_classes, principals in self.principal_bands:
            if classes <= max_classes:
                return principals
        return self.principals_above

    def required_health_staff(self, children: int) -> int:
        return math.ceil(children / self.children_per_health_staff)

    def required_kinds(self, role: str) -> list[str]:
        return list(self.required_certificates.get(role, []))

    def rate_for(self, role: str) -> Decimal:
        return self.principal_certified_rate if role in PRINCIPAL_ROLES else self.teacher_certified_rate
