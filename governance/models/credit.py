"""Credit records (信用档案) of private kindergartens, their sponsors and their principals.

Events are drawn from the modules that record them (enforcement orders and conduct cases, fee
alerts, overdue major hazards, published evaluation results) or recorded here (commendations);
`CreditRule` (published, versioned data) turns the events of its window into a score and a level
per subject; each change of level is kept (`CreditLevelChange`). An event may be appealed; an
upheld appeal withdraws it. A failing kindergarten's exit (suspension, closure) carries the
transfer plan of its children.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet, ScopePaths
from kindergartens.models import Kindergarten

from ..choices import AppealStatus, CreditEventKind, CreditEventStatus, CreditLevel, CreditSubject, ExitKind
from .common import Versioned

USER = {"on_delete": models.SET_NULL, "null": True, "blank": True, "related_name": "+"}


class CreditRule(Versioned):
    """How events become a score and a level: points per event kind and subject (negative for
    violations, positive for commendations) added to a base score over a window of days; the level
    is the highest whose minimum the score reaches (A ≥ a_min, B ≥ b_min, C ≥ c_min, else D)."""

    name = models.CharField(_("名称"), max_length=100)
    base_score = models.PositiveSmallIntegerField(_("基础分"), default=100)
    window_days = models.PositiveSmallIntegerField(
        _("计分期（天）"), validators=[MinValueValidator(1)], help_text=_("只计算评分日前多少天内发生的事件")
    )
    a_min = models.SmallIntegerField(_("A 级最低分"))
    b_min = models.SmallIntegerField(_("B 级最低分"))
    c_min = models.SmallIntegerField(_("C 级最低分"))
    points = models.JSONField(
        _("计分标准"),
        default=dict,
        help_text=_('每类事件对幼儿园、举办者、园长的分值，如 {"order": {"kindergarten": -5, "principal": -5}}'),
    )
    history = HistoricalRecords()

    class Meta(Versioned.Meta):
        verbose_name = _("信用评价规则")
        verbose_name_plural = _("信用评价规则")

    def __str__(self) -> str:
        return f"{self.name}（{self.period_label()}）"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if None not in (self.a_min, self.b_min, self.c_min) and not (self.a_min > self.b_min > self.c_min):
            errors.setdefault("a_min", []).append(_("等级最低分须满足 A > B > C。"))
        if not isinstance(self.points, dict):
            errors.setdefault("points", []).append(_("计分标准应为 {事件类型: {对象: 分值}}。"))
        else:
            for kind, by_subject in self.points.items():
                if kind not in CreditEventKind.values or not isinstance(by_subject, dict):
                    errors.setdefault("points", []).append(_("未知的事件类型：%(kind)s") % {"kind": kind})
                    continue
                for subject, value in by_subject.items():
                    if subject not in CreditSubject.values or not isinstance(value, int) or isinstance(value, bool):
                        errors.setdefault("points", []).append(
                            _("%(kind)s 的分值应为整数，对象为幼儿园、举办者或园长。") % {"kind": kind}
                        )
        if errors:
            raise ValidationError(errors)
        super().clean()

    def points_for(self, kind: str, subject: str) -> int:
        return int((self.points.get(kind) or {}).get(subject, 0))

    def window_start(self, day: datetime.date) -> datetime.date:
        """Events on or after this day (and on or before `day`) count."""
        return day - datetime.timedelta(days=self.window_days - 1)

    def score_of(self, total_points: int) -> int:
        """The base plus the points, kept between 0 and the base."""
        return max(0, min(self.base_score, self.base_score + total_points))

    def level_of(self, score: int) -> str:
        if score >= self.a_min:
            return CreditLevel.A
        if score >= self.b_min:
            return CreditLevel.B
        if score >= self.c_min:
            return CreditLevel.C
        return CreditLevel.D


class CreditRecordQuerySet(ScopedQuerySet):
    change_roles = frozenset()  # the bureau keeps the records; directors appeal through the service


class CreditRecord(models.Model):
    """A private kindergarten's credit record: the current score and level of the kindergarten,
    its sponsor and its principal (kept by `credit_refresh`)."""

    kindergarten = models.OneToOneField(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="credit_record"
    )
    sponsor_name = models.CharField(_("举办者名称"), max_length=100, blank=True)
    principal_name = models.CharField(_("园长"), max_length=50, blank=True)
    score = models.SmallIntegerField(_("幼儿园信用分"), null=True, blank=True)
    level = models.CharField(_("幼儿园信用等级"), max_length=1, choices=CreditLevel.choices, blank=True)
    sponsor_score = models.SmallIntegerField(_("举办者信用分"), null=True, blank=True)
    sponsor_level = models.CharField(_("举办者信用等级"), max_length=1, choices=CreditLevel.choices, blank=True)
    principal_score = models.SmallIntegerField(_("园长信用分"), null=True, blank=True)
    principal_level = models.CharField(_("园长信用等级"), max_length=1, choices=CreditLevel.choices, blank=True)
    rule = models.ForeignKey(
        CreditRule, verbose_name=_("评价规则"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    computed_on = models.DateField(_("评价日期"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CreditRecordQuerySet.as_manager()

    class Meta:
        ordering = ["kindergarten__code"]
        verbose_name = _("信用档案")
        verbose_name_plural = _("信用档案")
        indexes = [models.Index(fields=["level"])]

    def __str__(self) -> str:
        return str(self.kindergarten)

    def get_absolute_url(self) -> str:
        return reverse("governance:credit_detail", args=[self.pk])

    def subjects(self) -> list[tuple[str, str, int | None, str]]:
        """(subject, label, score, level) for the three subjects, in order."""
        return [
            (CreditSubject.KINDERGARTEN, CreditSubject.KINDERGARTEN.label, self.score, self.level),
            (CreditSubject.SPONSOR, CreditSubject.SPONSOR.label, self.sponsor_score, self.sponsor_level),
            (CreditSubject.PRINCIPAL, CreditSubject.PRINCIPAL.label, self.principal_score, self.principal_level),
        ]


class CreditPartQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="record__kindergarten", subdistrict="record__kindergarten__subdistrict")
    change_roles = frozenset()


class CreditEvent(models.Model):
    """One fact weighing on the record. `source_key` names where it came from ("order:12"), so a
    refresh never draws the same fact twice; a withdrawn event stays, and counts no more."""

    record = models.ForeignKey(
        CreditRecord, verbose_name=_("信用档案"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事件类型"), max_length=30, choices=CreditEventKind.choices)
    source_key = models.CharField(_("来源"), max_length=60)
    source_url = models.CharField(_("来源链接"), max_length=200, blank=True)
    occurred_on = models.DateField(_("发生日期"))
    detail = models.TextField(_("情况"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CreditEventStatus.choices, default=CreditEventStatus.ACTIVE
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), **USER)
    history = HistoricalRecords()

    objects = CreditPartQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("信用事件")
        verbose_name_plural = _("信用事件")
        constraints = [
            models.UniqueConstraint(fields=["record", "source_key"], name="governance_credit_event_drawn_once")
        ]

    def __str__(self) -> str:
        return f"{self.record} · {self.get_kind_display()} · {self.occurred_on:%Y-%m-%d}"


class CreditLevelChange(models.Model):
    """A subject's score and level from a day on (the record's history of levels)."""

    record = models.ForeignKey(
        CreditRecord, verbose_name=_("信用档案"), on_delete=models.CASCADE, related_name="level_changes"
    )
    subject = models.CharField(_("对象"), max_length=20, choices=CreditSubject.choices)
    day = models.DateField(_("日期"))
    score = models.SmallIntegerField(_("信用分"))
    level = models.CharField(_("信用等级"), max_length=1, choices=CreditLevel.choices)
    previous_level = models.CharField(_("原等级"), max_length=1, choices=CreditLevel.choices, blank=True)
    rule = models.ForeignKey(CreditRule, verbose_name=_("评价规则"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("原因"), max_length=100)

    objects = CreditPartQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = _("信用等级变化")
        verbose_name_plural = _("信用等级变化")

    def __str__(self) -> str:
        return f"{self.record} · {self.get_subject_display()} {self.previous_level or '—'} → {self.level}"


class CreditAppealQuerySet(ScopedQuerySet):
    scope = ScopePaths(
        kindergarten="event__record__kindergarten", subdistrict="event__record__kindergarten__subdistrict"
    )
    change_roles = frozenset()


class CreditAppeal(models.Model):
    """A kindergarten's appeal against an event; upheld, the event is withdrawn and the level recomputed."""

    event = models.ForeignKey(CreditEvent, verbose_name=_("信用事件"), on_delete=models.CASCADE, related_name="appeals")
    grounds = models.TextField(_("申诉理由"), max_length=3000)
    filed_on = models.DateField(_("申诉日期"), default=timezone.localdate)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申诉人"), **USER)
    status = models.CharField(_("状态"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    decided_on = models.DateField(_("处理日期"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), **USER)
    decision_note = models.TextField(_("处理意见"), blank=True)
    history = HistoricalRecords()

    objects = CreditAppealQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_on", "-pk"]
        verbose_name = _("信用申诉")
        verbose_name_plural = _("信用申诉")
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=models.Q(status="pending"), name="governance_one_pending_appeal_an_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.get_status_display()}"


class CreditExit(models.Model):
    """The exit of a failing kindergarten (停办 or 撤销), with the children to place elsewhere."""

    record = models.ForeignKey(CreditRecord, verbose_name=_("信用档案"), on_delete=models.PROTECT, related_name="exits")
    kind = models.CharField(_("退出方式"), max_length=12, choices=ExitKind.choices)
    decided_on = models.DateField(_("决定日期"), default=timezone.localdate)
    effective_on = models.DateField(_("生效日期"))
    reason = models.TextField(_("决定理由"), max_length=3000)
    children_to_place = models.PositiveIntegerField(_("需分流幼儿数"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), **USER)
    history = HistoricalRecords()

    objects = CreditPartQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("退出处置")
        verbose_name_plural = _("退出处置")

    def __str__(self) -> str:
        return f"{self.record} · {self.get_kind_display()}"

    def clean(self) -> None:
        super().clean()
        if self.effective_on and self.decided_on and self.effective_on < self.decided_on:
            raise ValidationError({"effective_on": _("生效日期不能早于决定日期。")})


class TransferQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="exit__record__kindergarten", subdistrict="exit__record__kindergarten__subdistrict")
    change_roles = frozenset()


class TransferPlanLine(models.Model):
    """How many of the exiting kindergarten's children one receiving kindergarten takes."""

    exit = models.ForeignKey(CreditExit, verbose_name=_("退出处置"), on_delete=models.CASCADE, related_name="transfers")
    receiving = models.ForeignKey(
        Kindergarten, verbose_name=_("接收幼儿园"), on_delete=models.PROTECT, related_name="+"
    )
    children = models.PositiveIntegerField(_("接收幼儿数"), validators=[MinValueValidator(1)])
    history = HistoricalRecords()

    objects = TransferQuerySet.as_manager()

    class Meta:
        ordering = ["exit", "pk"]
        verbose_name = _("幼儿分流安置")
        verbose_name_plural = _("幼儿分流安置")
        constraints = [
            models.UniqueConstraint(fields=["exit", "receiving"], name="governance_transfer_one_line_a_receiver")
        ]

    def __str__(self) -> str:
        return f"{self.receiving} · {self.children}"
