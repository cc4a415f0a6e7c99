"""The safety policy as versioned data: the rule set in force on a date (domain.md §3).

Guard counts, retention days and deadlines by severity are policy that the bureau changes; they
are rows here, never constants in code. One rule set is in force on any date: versions may not
overlap.
"""

from __future__ import annotations

import datetime
import itertools
import math

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import DistrictWideQuerySet

from ..choices import Severity


class SafetyRuleSetQuerySet(DistrictWideQuerySet):
    def in_force(self, day: datetime.date) -> SafetyRuleSetQuerySet:
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def for_day(self, day: datetime.date) -> SafetyRuleSet | None:
        """The version in force on `day` (the latest if, against the rules, several are)."""
        return self.in_force(day).order_by("-valid_from").first()


def _positive(label):
    return models.PositiveIntegerField(label, validators=[MinValueValidator(1)])


class SafetyRuleSet(models.Model):
    """One version of the safe-campus rules, valid from one date to another (or open-ended)."""

    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("依据文件"), max_length=200)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)

    # Guards: the band whose upper bound the people on campus (staff + children) do not exceed
    # gives the count; above the last band, `guards_step` more per further `guards_step_people`.
    guard_bands = models.JSONField(
        _("保安员配备档位"),
        help_text=_("按人数（教职工 + 幼儿）上限升序排列的 [人数上限, 保安员人数] 列表，如 [[1000, 3]]"),
    )
    guards_step_people = _positive(_("超出部分每增加人数"))
    guards_step = _positive(_("相应增加保安员"))
    min_safety_managers = _positive(_("专职安全管理人员最少人数"))
    video_retention_days = _positive(_("监控录像最少保存天数"))
    intrusion_log_days = _positive(_("入侵报警记录最少保存天数"))
    access_log_days = _positive(_("门禁记录最少保存天数"))
    drills_per_quarter = _positive(_("每季度最少疏散演练次数"))
    # How long a one-button alarm may go untested before its director is reminded (working value).
    alarm_test_days = models.PositiveIntegerField(
        _("一键式报警测试间隔（天）"), default=30, validators=[MinValueValidator(1)]
    )
    min_carers = _positive(_("幼儿身边最少看护人数"))
    general_deadline_days = _positive(_("一般隐患整改期限（天）"))
    major_deadline_days = _positive(_("重大隐患整改期限（天）"))
    history = HistoricalRecords()

    objects = SafetyRuleSetQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("安全规则版本")
        verbose_name_plural = _("安全规则版本")

    def __str__(self) -> str:
        return f"{self.name}（{self.valid_from:%Y-%m-%d} 起）"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors.setdefault("valid_to", []).append(_("失效日期不能早于生效日期。"))
        bands = self.guard_bands
        valid = (
            isinstance(bands, list)
            and bands
            and all(
                isinstance(b, list | tuple) and len(b) == 2 and all(isinstance(n, int) and n > 0 for n in b)
                for b in bands
            )
        )
        if not valid:
            errors.setdefault("guard_bands", []).append(_("保安员配备档位应为 [人数上限, 保安员人数] 的正整数列表。"))
        elif any(later[0] <= earlier[0] or later[1] < earlier[1] for earlier, later in itertools.pairwise(bands)):
            errors.setdefault("guard_bands", []).append(_("档位应按人数上限升序排列，保安员人数不减少。"))
        if self.valid_from and not errors:
            overlapping = SafetyRuleSet.objects.exclude(pk=self.pk).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
            )
            if self.valid_to:
                overlapping = overlapping.filter(valid_from__lte=self.valid_to)
            if overlapping.exists():
                errors.setdefault("valid_from", []).append(_("与已有规则版本的有效期重叠。"))
        if errors:
            raise ValidationError(errors)

    def required_guards(self, people: int) -> int:
        """Full-time guards required for `people` on campus (staff + children)."""
        for max_people, guards in self.guard_bands:
            if people <= max_people:
                return guards
        last_people, last_guards = self.guard_bands[-1]
        return last_guards + math.ceil((people - last_people) / self.guards_step_people) * self.guards_step

    def deadline_days(self, severity: str) -> int:
        return self.major_deadline_days if severity == Severity.MAJOR else self.general_deadline_days

    def deadline_for(self, severity: str, found_on: datetime.date) -> datetime.date:
        return found_on + datetime.timedelta(days=self.deadline_days(severity))
