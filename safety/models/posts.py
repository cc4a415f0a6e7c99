"""Peak-hour posts (护学岗): the roster of each kindergarten, and the rule of what covers the
morning peak (a versioned rule, like the safety rule set).

A kindergarten is **covered** on a day when, on every school day of the rule in force, at least
one active post is held from the start to the end of the morning peak. The officers' names are
staff work data and are kept with the post.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import DistrictWideQuerySet, ScopedQuerySet
from kindergartens.models import Kindergarten

from ..choices import PostKind, Weekday, mask_days

ALL_DAYS = (1 << 7) - 1


class PeakHourRuleQuerySet(DistrictWideQuerySet):
    def for_day(self, day: datetime.date) -> PeakHourRule | None:
        """The version in force on `day`."""
        in_force = self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)
        return in_force.order_by("-valid_from").first()


class PeakHourRule(models.Model):
    """When the morning peak is and which days are school days, from one date to another."""

    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    morning_peak_start = models.TimeField(_("早高峰开始"))
    morning_peak_end = models.TimeField(_("早高峰结束"))
    school_days = models.PositiveSmallIntegerField(
        _("上学日"),
        validators=[MinValueValidator(1), MaxValueValidator(ALL_DAYS)],
        help_text=_("星期的位掩码：周一为 1，周二为 2，周三为 4……周一至周五为 31"),
    )
    history = HistoricalRecords()

    objects = PeakHourRuleQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("护学岗覆盖规则")
        verbose_name_plural = _("护学岗覆盖规则")

    def __str__(self) -> str:
        return f"{self.name}（{self.valid_from:%Y-%m-%d} 起）"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors.setdefault("valid_to", []).append(_("失效日期不能早于生效日期。"))
        if self.morning_peak_start and self.morning_peak_end and self.morning_peak_end <= self.morning_peak_start:
            errors.setdefault("morning_peak_end", []).append(_("早高峰结束须晚于开始。"))
        if self.valid_from:
            others = PeakHourRule.objects.exclude(pk=self.pk).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
            )
            if self.valid_to:
                others = others.filter(valid_from__lte=self.valid_to)
            if others.exists():
                errors.setdefault("valid_from", []).append(_("与已有版本的有效期重叠。"))
        if errors:
            raise ValidationError(errors)

    def school_day_labels(self) -> list[str]:
        return [str(Weekday(d).label) for d in mask_days(self.school_days)]

    def covers_morning_peak(self, outer: str = "pk") -> Q:
        """The SQL condition "the kindergarten at `outer` has an active post on every school day
        for the whole morning peak": one EXISTS per school day."""
        condition = Q()
        for day in mask_days(self.school_days):
            posts = SafetyPost.objects.filter(
                kindergarten=OuterRef(outer),
                active=True,
                start_time__lte=self.morning_peak_start,
                end_time__gte=self.morning_peak_end,
            ).annotate(on_day=F("days").bitand(1 << day))
            condition &= Q(Exists(posts.filter(on_day__gt=0)))
        return condition


class SafetyPost(models.Model):
    """A peak-hour post of a kindergarten: its kind, days, hours and who holds it."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.CASCADE, related_name="safety_posts"
    )
    kind = models.CharField(_("岗位类型"), max_length=12, choices=PostKind.choices)
    days = models.PositiveSmallIntegerField(_("值守日"), validators=[MinValueValidator(1), MaxValueValidator(ALL_DAYS)])
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    people = models.CharField(_("值守人员"), max_length=200, help_text=_("民警、保安员或志愿者姓名及单位"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    active = models.BooleanField(_("在岗"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kindergarten", "start_time", "pk"]
        verbose_name = _("护学岗")
        verbose_name_plural = _("护学岗")

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.get_kind_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("safety:post_edit", args=[self.pk])

    def clean(self) -> None:
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("结束时间须晚于开始时间。")})

    def day_labels(self) -> list[str]:
        return [str(Weekday(d).label) for d in mask_days(self.days or 0)]


def coverage_by_subdistrict(kindergartens, rule: PeakHourRule) -> list[dict]:
    """Per sub-district: operating kindergartens (`total`, the denominator) and those whose
    morning peak is covered (`covered`, the numerator) — one GROUP BY query over `kindergartens`
    (already restricted to what the user may see)."""
    rows = (
        kindergartens.operating()
        .values("subdistrict", "subdistrict__name", "subdistrict__code")
        .annotate(total=models.Count("pk"), covered=models.Count("pk", filter=rule.covers_morning_peak()))
        .order_by("subdistrict__code")
    )
    return list(rows)
