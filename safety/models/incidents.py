"""Injury incidents (伤害事故) and disputes between families and the kindergarten (家园纠纷).

A child is recorded by the initials of their name and their age only — never a name or an ID
number: `clean()` rejects what looks like either, in the child field and in the free text.
The parties of a dispute are described by their role ("中二班幼儿家长"), never by name.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet, ScopePaths
from kindergartens.models import Kindergarten

from ..choices import IncidentSeverity, InsuranceStatus, RecordStatus

# 15 or 18 digits (the last may be X), or any run of 6+ digits: an ID number or part of one.
ID_DIGITS = re.compile(r"\d{6,}|\d{17}[\dXx]")
INITIALS = re.compile(r"^(?:[A-Z]\.){1,4}$")

NO_NAME = _("请只填写幼儿姓名拼音首字母（如 Z.X.），不要填写姓名。")
NO_ID = _("请不要填写身份证号或其他证件号码。")


def normalize_initials(value: str) -> str:
    """ "zx", "Z X", "z.x" → "Z.X." (letters only; anything else is left for the validator)."""
    compact = re.sub(r"[\s.·]", "", value or "")
    if compact.isascii() and compact.isalpha():
        return "".join(f"{letter}." for letter in compact.upper())
    return (value or "").strip()


def validate_initials(value: str) -> None:
    """Initials such as "Z.X." ("zx" is read as that) — a Chinese name or digits of an ID are refused."""
    value = normalize_initials(value)
    if re.search(r"[\u3400-\u9fff]", value):
        raise ValidationError(NO_NAME, code="name")
    if re.search(r"\d", value):
        raise ValidationError(NO_ID, code="id_number")
    if not INITIALS.match(value):
        raise ValidationError(_("幼儿只登记姓名拼音首字母，1 至 4 个字母，如 Z.X.。"), code="initials")


def validate_no_id_number(value: str) -> None:
    if value and ID_DIGITS.search(value):
        raise ValidationError(NO_ID, code="id_number")


def days_between(start: datetime.date, end: datetime.date | None) -> int:
    """Whole days from `start` to `end` (today if not resolved yet)."""
    return ((end or timezone.localdate()) - start).days


class ResolvableMixin(models.Model):
    """Open → resolved on a day; the days it took (or has taken so far). Each model says when
    its matter began with a `started_on()` method."""

    status = models.CharField(_("状态"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.OPEN)
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True)
    outcome = models.TextField(_("处理结果"), blank=True, validators=[validate_no_id_number])

    class Meta:
        abstract = True

    @property
    def days_to_resolution(self) -> int | None:
        start = self.started_on()
        return days_between(start, self.resolved_on) if start else None

    @property
    def is_resolved(self) -> bool:
        return self.status == RecordStatus.RESOLVED

    def clean_resolution(self, errors: dict) -> None:
        start = self.started_on()
        if self.status == RecordStatus.RESOLVED:
            if not self.resolved_on:
                errors.setdefault("resolved_on", []).append(_("办结时请填写办结日期。"))
            if not self.outcome.strip():
                errors.setdefault("outcome", []).append(_("办结时请填写处理结果。"))
        elif self.resolved_on:
            errors.setdefault("resolved_on", []).append(_("尚未办结，不能填写办结日期。"))
        if self.resolved_on and start and self.resolved_on < start:
            errors.setdefault("resolved_on", []).append(_("办结日期不能早于发生日期。"))
        if self.resolved_on and self.resolved_on > timezone.localdate():
            errors.setdefault("resolved_on", []).append(_("办结日期不能晚于今天。"))


class IncidentQuerySet(ScopedQuerySet):
    def serious(self) -> IncidentQuerySet:
        return self.filter(severity=IncidentSeverity.SERIOUS)

    def still_open(self) -> IncidentQuerySet:
        return self.filter(status=RecordStatus.OPEN)


class Incident(ResolvableMixin):
    """An injury accident of a child at the kindergarten."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="safety_incidents"
    )
    occurred_at = models.DateTimeField(_("发生时间"))
    place = models.CharField(_("发生地点"), max_length=100)
    child_initials = models.CharField(
        _("幼儿（姓名首字母）"),
        max_length=12,
        validators=[validate_initials],
        help_text=_("只填姓名拼音首字母，如 Z.X.；不填姓名和证件号。"),
    )
    child_age = models.PositiveSmallIntegerField(_("幼儿年龄（岁）"), validators=[MaxValueValidator(7)])
    what_happened = models.TextField(_("事故经过"), validators=[validate_no_id_number])
    treatment = models.TextField(_("救治处理"), blank=True, validators=[validate_no_id_number])
    severity = models.CharField(
        _("严重程度"), max_length=10, choices=IncidentSeverity.choices, default=IncidentSeverity.MINOR
    )
    insurance_claimed = models.BooleanField(_("已申请保险理赔"), default=False)
    insurance_status = models.CharField(_("理赔状态"), max_length=12, choices=InsuranceStatus.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("伤害事故")
        verbose_name_plural = _("伤害事故")
        indexes = [models.Index(fields=["severity", "status"])]

    def __str__(self) -> str:
        when = timezone.localtime(self.occurred_at) if self.occurred_at else None
        return f"{self.kindergarten} · {when:%Y-%m-%d} · {self.place}" if when else str(self.place)

    def get_absolute_url(self) -> str:
        return reverse("safety:incident_detail", args=[self.pk])

    def started_on(self) -> datetime.date | None:
        return timezone.localdate(self.occurred_at) if self.occurred_at else None

    @property
    def is_serious(self) -> bool:
        return self.severity == IncidentSeverity.SERIOUS

    def clean(self) -> None:
        # The field's validator has judged the value as typed; it is stored in one form.
        self.child_initials = normalize_initials(self.child_initials)
        errors: dict[str, list] = {}
        if self.occurred_at and self.occurred_at > timezone.now():
            errors.setdefault("occurred_at", []).append(_("发生时间不能晚于现在。"))
        if self.insurance_claimed and not self.insurance_status:
            errors.setdefault("insurance_status", []).append(_("已申请理赔时请选择理赔状态。"))
        if not self.insurance_claimed and self.insurance_status:
            errors.setdefault("insurance_status", []).append(_("未申请理赔，不能填写理赔状态。"))
        self.clean_resolution(errors)
        if errors:
            raise ValidationError(errors)


class Dispute(ResolvableMixin):
    """A dispute between a family and the kindergarten, mediated until resolved."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="safety_disputes"
    )
    incident = models.ForeignKey(
        Incident,
        verbose_name=_("相关事故"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disputes",
    )
    raised_on = models.DateField(_("发生日期"))
    subject = models.CharField(_("纠纷事由"), max_length=200, validators=[validate_no_id_number])
    parties = models.CharField(
        _("当事各方"),
        max_length=200,
        validators=[validate_no_id_number],
        help_text=_("只写身份，不写姓名，如“中二班幼儿家长、当班教师”。"),
    )
    description = models.TextField(_("纠纷情况"), blank=True, validators=[validate_no_id_number])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        verbose_name = _("家园纠纷")
        verbose_name_plural = _("家园纠纷")

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("safety:dispute_detail", args=[self.pk])

    def started_on(self) -> datetime.date | None:
        return self.raised_on

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.raised_on and self.raised_on > timezone.localdate():
            errors.setdefault("raised_on", []).append(_("发生日期不能晚于今天。"))
        if self.incident_id and self.kindergarten_id and self.incident.kindergarten_id != self.kindergarten_id:
            errors.setdefault("incident", []).append(_("相关事故须是本园的事故。"))
        self.clean_resolution(errors)
        if errors:
            raise ValidationError(errors)


class MediationQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="dispute__kindergarten", subdistrict="dispute__kindergarten__subdistrict")


class Mediation(models.Model):
    """One mediation session of a dispute: when, who mediated, what was agreed."""

    dispute = models.ForeignKey(Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="mediations")
    held_on = models.DateField(_("调解日期"))
    mediator = models.CharField(_("调解人"), max_length=100, help_text=_("调解人及其单位，如“望京街道人民调解委员会”"))
    agreed = models.TextField(_("调解结果"), validators=[validate_no_id_number])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = MediationQuerySet.as_manager()

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.mediator}"

    def clean(self) -> None:
        if self.held_on and self.held_on > timezone.localdate():
            raise ValidationError({"held_on": _("调解日期不能晚于今天。")})
        if self.held_on and self.dispute_id and self.held_on < self.dispute.raised_on:
            raise ValidationError({"held_on": _("调解日期不能早于纠纷发生日期。")})
