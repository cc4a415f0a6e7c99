"""Issue lists and improvement (问题清单 / 改进成效): issues, their events and evidence."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.choices import Role
from accounts.permissions import Act, may
from accounts.scoping import ScopedQuerySet, ScopePaths

from ..choices import IssueEventKind, IssueSource, IssueStatus
from .common import AttachmentBase
from .cycles import EvaluationCycle
from .evaluations import ExternalEvaluation
from .framework import AssessmentPoint
from .self_assessments import SelfAssessment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class QualityIssueQuerySet(ScopedQuerySet):
    # Directors report improvements, evaluators verify them; both through services.
    change_roles = frozenset({Role.DIRECTOR, Role.INSPECTOR})

    def unresolved(self) -> QualityIssueQuerySet:
        return self.exclude(status=IssueStatus.VERIFIED)

    def status_totals(self, today: datetime.date | None = None) -> dict[str, int]:
        """Open, reported, verified and overdue issues, counted in one query."""
        today = today or timezone.localdate()
        return self.aggregate(
            open=models.Count("pk", filter=Q(status=IssueStatus.OPEN)),
            reported=models.Count("pk", filter=Q(status=IssueStatus.REPORTED)),
            verified=models.Count("pk", filter=Q(status=IssueStatus.VERIFIED)),
            overdue=models.Count("pk", filter=Q(deadline__lt=today) & ~Q(status=IssueStatus.VERIFIED)),
        )

    def per_subdistrict(self, today: datetime.date | None = None) -> list[dict]:
        """One row per sub-district (GROUP BY): issues, kindergartens, reported ones, and how many
        days the oldest deadline lies behind `today`."""
        today = today or timezone.localdate()
        rows = list(
            self.values(
                "kindergarten__subdistrict_id", "kindergarten__subdistrict__name", "kindergarten__subdistrict__code"
            )
            .annotate(
                issues=models.Count("pk"),
                kindergartens=models.Count("kindergarten", distinct=True),
                reported=models.Count("pk", filter=Q(status=IssueStatus.REPORTED)),
                oldest=models.Min("deadline"),
            )
            .order_by("kindergarten__subdistrict__code")
        )
        for row in rows:
            row["days"] = (today - row["oldest"]).days
        return rows

    def overdue(self, today: datetime.date | None = None) -> QualityIssueQuerySet:
        """Past the deadline and not verified: these escalate to the bureau and the sub-district."""
        today = today or timezone.localdate()
        return self.unresolved().filter(deadline__lt=today)


class QualityIssue(models.Model):
    """One item of a kindergarten's issue list, from a self-assessment or an external evaluation."""

    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten",
        verbose_name=_("幼儿园"),
        on_delete=models.PROTECT,
        related_name="quality_issues",
    )
    cycle = models.ForeignKey(
        EvaluationCycle, verbose_name=_("评估周期"), on_delete=models.PROTECT, related_name="quality_issues"
    )
    point = models.ForeignKey(
        AssessmentPoint, verbose_name=_("考查要点"), on_delete=models.PROTECT, related_name="quality_issues"
    )
    source = models.CharField(_("来源"), max_length=24, choices=IssueSource.choices)
    self_assessment = models.ForeignKey(
        SelfAssessment,
        verbose_name=_("来源自评"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
    )
    external_evaluation = models.ForeignKey(
        ExternalEvaluation,
        verbose_name=_("来源督导评估"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
    )
    description = models.TextField(_("问题描述"), max_length=2000)
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=16, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("验证时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("验证人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = QualityIssueQuerySet.as_manager()

    class Meta:
        ordering = ["kindergarten__code", "deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            # The source record matches the source kind.
            models.CheckConstraint(
                condition=(
                    Q(source=IssueSource.SELF_ASSESSMENT, external_evaluation__isnull=True)
                    | Q(source=IssueSource.EXTERNAL_EVALUATION, self_assessment__isnull=True)
                ),
                name="quality_issue_source_matches",
            ),
        ]
        verbose_name = _("问题清单事项")
        verbose_name_plural = _("问题清单")

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.point}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:issue_detail", args=[self.pk])

    def is_correctable_by(self, user: User | AnonymousUser | None) -> bool:
        """Not yet verified, and `user` evaluates this kindergarten: they may correct the issue,
        and verify or send back a reported improvement."""
        return self.status != IssueStatus.VERIFIED and may(user, Act.EVALUATE, self.kindergarten_id)

    def is_reportable_by(self, user: User | AnonymousUser | None) -> bool:
        """Open, and `user` answers for this kindergarten (its director reports the improvement)."""
        return self.status == IssueStatus.OPEN and may(user, Act.REPORT, self.kindergarten_id)

    @property
    def is_overdue(self) -> bool:
        return self.status != IssueStatus.VERIFIED and self.deadline < timezone.localdate()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        source_record = self.self_assessment if self.self_assessment_id else None
        if self.external_evaluation_id:
            source_record = self.external_evaluation
        if source_record is not None:
            if self.kindergarten_id and source_record.kindergarten_id != self.kindergarten_id:
                errors.setdefault("kindergarten", []).append(_("问题须属于来源评估的幼儿园。"))
            if self.cycle_id and source_record.cycle_id != self.cycle_id:
                errors.setdefault("cycle", []).append(_("问题须属于来源评估的评估周期。"))
        if self.point_id and self.cycle_id:
            if self.point.key_indicator.area.framework_version_id != self.cycle.framework_version_id:
                errors.setdefault("point", []).append(_("该考查要点不属于本周期的评估手册版本。"))
        if errors:
            raise ValidationError(errors)


class IssuePartQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="issue__kindergarten", subdistrict="issue__kindergarten__subdistrict")
    change_roles = frozenset({Role.DIRECTOR, Role.INSPECTOR})


class IssueEvent(models.Model):
    """A step in an issue's improvement: the director's report, the evaluator's verification or
    sending back, a correction of the description or the deadline. Steps are only added, never
    changed, so the trajectory stays as it happened."""

    issue = models.ForeignKey(QualityIssue, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=16, choices=IssueEventKind.choices)
    note = models.TextField(_("说明"), max_length=2000)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = IssuePartQuerySet.as_manager()

    class Meta:
        ordering = ["issue", "created_at", "pk"]
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")

    def __str__(self) -> str:
        return f"{self.issue} · {self.get_kind_display()}"


class IssueAttachment(AttachmentBase):
    """Evidence of an improvement (photos, documents), attached to the report that cites it."""

    folder = "inspections/issues"
    folder_key = "issue.kindergarten_id"

    issue = models.ForeignKey(
        QualityIssue, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        IssueEvent,
        verbose_name=_("整改记录"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    history = HistoricalRecords()

    objects = IssuePartQuerySet.as_manager()

    class Meta:
        ordering = ["issue", "uploaded_at", "pk"]
        verbose_name = _("整改佐证")
        verbose_name_plural = _("整改佐证")

    def get_absolute_url(self) -> str:
        return reverse("inspections:issue_attachment", args=[self.pk])
