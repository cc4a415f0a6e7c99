"""Supervisory (external) evaluations (督导评估), the teams that carry them out, their ratings and evidence.

A published evaluation is frozen by `inspections.evaluation_locks`.
"""

from __future__ import annotations

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
from accounts.scoping import MembershipQuerySet, ScopedQuerySet, ScopePaths

from ..choices import EvaluationStatus, ResultGrade
from .common import AttachmentBase, PointRating
from .cycles import EvaluationCycle
from .framework import AssessmentPoint, FrameworkVersion

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class EvaluationTeamQuerySet(MembershipQuerySet):
    """Teams are the bureau's to form; an evaluator sees the teams they belong to."""

    member_action = Act.RECORD

    def with_evaluation_counts(self, evaluations: models.QuerySet) -> EvaluationTeamQuerySet:
        """Annotates evaluation_count / published_count, counted over `evaluations` only (those
        the user may see, not the whole team's)."""
        return self.annotate(
            evaluation_count=models.Count("evaluations", filter=Q(evaluations__in=evaluations), distinct=True),
            published_count=models.Count(
                "evaluations",
                filter=Q(evaluations__in=evaluations, evaluations__status=EvaluationStatus.PUBLISHED),
                distinct=True,
            ),
        )


class EvaluationTeam(models.Model):
    """A standing team of evaluators (督学, 评估专家) for a cycle; the bureau assigns it kindergartens."""

    cycle = models.ForeignKey(
        EvaluationCycle, verbose_name=_("评估周期"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("评估组名称"), max_length=100)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组长"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_evaluation_teams",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), related_name="evaluation_teams", blank=True
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords(m2m_fields=[members])

    objects = EvaluationTeamQuerySet.as_manager()

    class Meta:
        ordering = ["-cycle__start_year", "name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "name"], name="unique_team_name_in_cycle")]
        verbose_name = _("评估组")
        verbose_name_plural = _("评估组")

    def __str__(self) -> str:
        return self.name

    def has_member(self, user: User | AnonymousUser | None) -> bool:
        """Whether `user` is on this team (the leader is always a member too)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        return EvaluationTeam.members.through.objects.filter(evaluationteam_id=self.pk, user_id=user.pk).exists()


class ExternalEvaluationQuerySet(ScopedQuerySet):
    # Evaluators record ratings on the kindergartens assigned to them; directors only read.
    change_roles = frozenset({Role.INSPECTOR})
    # A director reads their kindergarten's evaluation once the bureau has published it.
    narrowed_for = {Role.DIRECTOR: "published"}

    def published(self) -> ExternalEvaluationQuerySet:
        return self.filter(status=EvaluationStatus.PUBLISHED)

    def of_teams_with(self, user: User) -> ExternalEvaluationQuerySet:
        """The evaluations of the teams `user` is a member of."""
        return self.filter(team__in=EvaluationTeam.objects.filter(members=user))

    def with_rated_count(self) -> ExternalEvaluationQuerySet:
        """Annotates `rated`: how many points have a rating level so far."""
        return self.annotate(rated=models.Count("ratings", filter=Q(ratings__level__isnull=False)))


class ExternalEvaluation(models.Model):
    """A supervisory evaluation (督导评估) of one kindergarten in a cycle, by a team, on a visit."""

    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten",
        verbose_name=_("幼儿园"),
        on_delete=models.PROTECT,
        related_name="external_evaluations",
    )
    cycle = models.ForeignKey(
        EvaluationCycle, verbose_name=_("评估周期"), on_delete=models.PROTECT, related_name="external_evaluations"
    )
    framework_version = models.ForeignKey(
        FrameworkVersion,
        verbose_name=_("评估手册版本"),
        on_delete=models.PROTECT,
        related_name="external_evaluations",
    )
    team = models.ForeignKey(
        EvaluationTeam, verbose_name=_("评估组"), on_delete=models.PROTECT, related_name="evaluations"
    )
    visit_date = models.DateField(_("入园评估日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    summary = models.TextField(_("评估意见"), max_length=5000, blank=True)
    grade = models.CharField(_("评估结果等级"), max_length=16, choices=ResultGrade.choices, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comment = models.TextField(_("审定意见"), max_length=3000, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审定人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ExternalEvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-cycle__start_year", "kindergarten__code"]
        constraints = [
            models.UniqueConstraint(fields=["kindergarten", "cycle"], name="one_external_evaluation_per_cycle"),
        ]
        indexes = [models.Index(fields=["cycle", "status"])]
        verbose_name = _("督导评估")
        verbose_name_plural = _("督导评估")

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.cycle} · {_('督导评估')}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:external_evaluation_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == EvaluationStatus.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.status == EvaluationStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == EvaluationStatus.SUBMITTED

    def is_recordable_by(self, user: User | AnonymousUser | None) -> bool:
        """A draft, and `user` records evaluations of this kindergarten as a member of its team."""
        return self.is_draft and may(user, Act.RECORD, self.kindergarten_id) and self.team.has_member(user)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.cycle_id and self.framework_version_id and self.framework_version_id != self.cycle.framework_version_id:
            errors.setdefault("framework_version", []).append(_("督导评估须使用本周期的评估手册版本。"))
        if self.cycle_id and self.team_id and self.team.cycle_id != self.cycle_id:
            errors.setdefault("team", []).append(_("评估组不属于本评估周期。"))
        if self.status == EvaluationStatus.PUBLISHED and not self.grade:
            errors.setdefault("grade", []).append(_("公布前须确定评估结果等级。"))
        if errors:
            raise ValidationError(errors)


class ExternalPartQuerySet(ScopedQuerySet):
    """Rows inside an external evaluation: scoped through it."""

    scope = ScopePaths(kindergarten="evaluation__kindergarten", subdistrict="evaluation__kindergarten__subdistrict")
    change_roles = frozenset({Role.INSPECTOR})
    narrowed_for = {Role.DIRECTOR: "published"}

    def published(self) -> ExternalPartQuerySet:
        return self.filter(evaluation__status=EvaluationStatus.PUBLISHED)


class ExternalRating(PointRating):
    """The evaluators' rating of one point, with what they found."""

    owner_field = "evaluation"
    note_field = "findings"
    wrong_version = _("该考查要点不属于本次评估所用的评估手册版本。")
    note_too_long = _("评估发现不能超过 %(max)d 字。")

    evaluation = models.ForeignKey(
        ExternalEvaluation, verbose_name=_("督导评估"), on_delete=models.CASCADE, related_name="ratings"
    )
    point = models.ForeignKey(
        AssessmentPoint, verbose_name=_("考查要点"), on_delete=models.PROTECT, related_name="external_ratings"
    )
    findings = models.TextField(_("评估发现"), max_length=2000, blank=True)
    history = HistoricalRecords()

    objects = ExternalPartQuerySet.as_manager()

    class Meta:
        ordering = ["evaluation", "point__key_indicator__order", "point__order", "point_id"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "point"], name="unique_external_rating")]
        verbose_name = _("督导评估评分")
        verbose_name_plural = _("督导评估评分")


class ExternalEvaluationAttachment(AttachmentBase):
    """Evidence gathered on the visit: for one point, or for the evaluation as a whole."""

    folder = "inspections/external-evaluations"
    folder_key = "evaluation.kindergarten_id"

    evaluation = models.ForeignKey(
        ExternalEvaluation, verbose_name=_("督导评估"), on_delete=models.CASCADE, related_name="attachments"
    )
    point = models.ForeignKey(
        AssessmentPoint,
        verbose_name=_("考查要点"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="external_evaluation_attachments",
    )
    history = HistoricalRecords()

    objects = ExternalPartQuerySet.as_manager()

    class Meta:
        ordering = ["evaluation", "uploaded_at", "pk"]
        verbose_name = _("督导评估附件")
        verbose_name_plural = _("督导评估附件")

    def get_absolute_url(self) -> str:
        return reverse("inspections:external_evaluation_attachment", args=[self.pk])
