"""Directors' self-assessments (自评), their ratings and evidence.

A self-assessment once *submitted* is frozen by the models: its ratings, notes and attachments
stay as they were submitted; the bureau accepts it or returns it, and a returned one is revised
as a new version (the old one is kept unchanged). Saving or deleting such a row raises
`Locked`; bulk `update()`/`delete()` on these querysets refuse too.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet, ScopePaths

from ..choices import ASSESSMENT_TRANSITIONS, AssessmentStatus
from .common import AttachmentBase, Locked, PointRating
from .cycles import EvaluationCycle
from .framework import AssessmentPoint, FrameworkVersion


class SelfAssessmentQuerySet(ScopedQuerySet):
    def latest_versions(self) -> SelfAssessmentQuerySet:
        """Only the newest version of each kindergarten's self-assessment per cycle."""
        return self.filter(revision__isnull=True)

    def update(self, **kwargs) -> int:
        if self.exclude(status=AssessmentStatus.DRAFT).exists():
            raise Locked(_("已提交的自评不能修改；退回后可在新版本中修改。"))
        return super().update(**kwargs)

    def delete(self):
        if self.exclude(status=AssessmentStatus.DRAFT).exists():
            raise Locked(_("已提交的自评不能删除。"))
        return super().delete()


class SelfAssessment(models.Model):
    """One version of a kindergarten's self-assessment (自评) in a cycle."""

    # Fields frozen once the version leaves draft; review fields change only with the status.
    CONTENT_FIELDS = (
        "kindergarten_id",
        "cycle_id",
        "framework_version_id",
        "version",
        "revised_from_id",
        "summary",
        "due_date",
        "created_by_id",
        "submitted_at",
        "submitted_by_id",
    )
    REVIEW_FIELDS = ("reviewed_at", "reviewed_by_id", "review_comment")

    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten",
        verbose_name=_("幼儿园"),
        on_delete=models.PROTECT,
        related_name="self_assessments",
    )
    cycle = models.ForeignKey(
        EvaluationCycle, verbose_name=_("评估周期"), on_delete=models.PROTECT, related_name="self_assessments"
    )
    framework_version = models.ForeignKey(
        FrameworkVersion,
        verbose_name=_("评估手册版本"),
        on_delete=models.PROTECT,
        related_name="self_assessments",
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    revised_from = models.OneToOneField(
        "self",
        verbose_name=_("修订自"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revision",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    summary = models.TextField(_("自评总结"), max_length=3000, blank=True)
    due_date = models.DateField(_("截止日期"), null=True, blank=True)
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
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comment = models.TextField(_("审核意见"), max_length=3000, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-cycle__start_year", "kindergarten__code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kindergarten", "cycle", "version"], name="unique_self_assessment_version"),
            # Returned versions are history; at most one version per kindergarten and cycle is live.
            models.UniqueConstraint(
                fields=["kindergarten", "cycle"],
                condition=~Q(status=AssessmentStatus.RETURNED),
                name="one_live_self_assessment",
            ),
        ]
        indexes = [models.Index(fields=["cycle", "status"])]
        verbose_name = _("幼儿园自评")
        verbose_name_plural = _("幼儿园自评")

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.cycle} · " + _("第 %(v)s 版") % {"v": self.version}

    def save(self, *args, **kwargs) -> None:
        self._refuse_forbidden_change()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("inspections:self_assessment_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == AssessmentStatus.SUBMITTED

    @property
    def is_overdue(self) -> bool:
        return self.is_draft and self.due_date is not None and self.due_date < timezone.localdate()

    def _stored(self) -> dict | None:
        if self.pk is None:
            return None
        return (
            SelfAssessment._base_manager.filter(pk=self.pk)
            .values("status", *self.CONTENT_FIELDS, *self.REVIEW_FIELDS)
            .first()
        )

    def _refuse_forbidden_change(self) -> None:
        stored = self._stored()
        if stored is None:
            if self.status != AssessmentStatus.DRAFT:
                raise Locked(_("新的自评只能以草稿开始。"))
            return
        old = stored["status"]
        if self.status != old and self.status not in ASSESSMENT_TRANSITIONS[old]:
            raise Locked(
                _("自评不能从“%(old)s”改为“%(new)s”。")
                % {"old": AssessmentStatus(old).label, "new": AssessmentStatus(self.status).label}
            )
        if old == AssessmentStatus.DRAFT:
            return
        changed = [f for f in self.CONTENT_FIELDS if getattr(self, f) != stored[f]]
        if self.status == old:
            changed += [f for f in self.REVIEW_FIELDS if getattr(self, f) != stored[f]]
        if changed:
            raise Locked(_("已提交的自评不能修改；退回后可在新版本中修改。"))

    def delete(self, *args, **kwargs):
        if SelfAssessment._base_manager.filter(pk=self.pk).exclude(status=AssessmentStatus.DRAFT).exists():
            raise Locked(_("已提交的自评不能删除。"))
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.cycle_id and self.framework_version_id and self.framework_version_id != self.cycle.framework_version_id:
            raise ValidationError({"framework_version": _("自评须使用本周期的评估手册版本。")})


def _refuse_unless_draft(assessment_ids: set[int | None]) -> None:
    assessment_ids.discard(None)
    if SelfAssessment._base_manager.filter(pk__in=assessment_ids).exclude(status=AssessmentStatus.DRAFT).exists():
        raise Locked(_("已提交的自评不能修改；退回后可在新版本中修改。"))


class AssessmentPartQuerySet(ScopedQuerySet):
    """Rows inside a self-assessment: scoped through it, frozen with it."""

    scope = ScopePaths(kindergarten="assessment__kindergarten", subdistrict="assessment__kindergarten__subdistrict")

    def _refuse_if_locked(self) -> None:
        if self.exclude(assessment__status=AssessmentStatus.DRAFT).exists():
            raise Locked(_("已提交的自评不能修改；退回后可在新版本中修改。"))

    def update(self, **kwargs) -> int:
        self._refuse_if_locked()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_locked()
        return super().delete()


class AssessmentPart(models.Model):
    """Base of the rows that belong to one self-assessment and are frozen with it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        _refuse_unless_draft(self._assessment_ids())
        super().save(*args, **kwargs)

    def _assessment_ids(self) -> set:
        ids = {self.assessment_id}
        if self.pk:
            ids |= set(type(self)._base_manager.filter(pk=self.pk).values_list("assessment_id", flat=True))
        return ids

    def delete(self, *args, **kwargs):
        _refuse_unless_draft(self._assessment_ids())
        return super().delete(*args, **kwargs)


class SelfAssessmentRating(PointRating, AssessmentPart):  # noqa: DJ008 (__str__ from PointRating)
    """The director's rating of one point, with a short evidence note."""

    owner_field = "assessment"
    note_field = "evidence_note"
    wrong_version = _("该考查要点不属于本次自评所用的评估手册版本。")
    note_too_long = _("佐证说明不能超过 %(max)d 字。")

    assessment = models.ForeignKey(
        SelfAssessment, verbose_name=_("自评"), on_delete=models.CASCADE, related_name="ratings"
    )
    point = models.ForeignKey(
        AssessmentPoint, verbose_name=_("考查要点"), on_delete=models.PROTECT, related_name="self_ratings"
    )
    evidence_note = models.TextField(_("佐证说明"), max_length=1000, blank=True)
    history = HistoricalRecords()

    objects = AssessmentPartQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "point__key_indicator__order", "point__order", "point_id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "point"], name="unique_self_rating")]
        verbose_name = _("自评评分")
        verbose_name_plural = _("自评评分")


class SelfAssessmentAttachment(AttachmentBase, AssessmentPart):  # noqa: DJ008 (__str__ from AttachmentBase)
    """Evidence for a self-assessment: for one point, or for the assessment as a whole."""

    folder = "inspections/self-assessments"
    folder_key = "assessment.kindergarten_id"

    assessment = models.ForeignKey(
        SelfAssessment, verbose_name=_("自评"), on_delete=models.CASCADE, related_name="attachments"
    )
    point = models.ForeignKey(
        AssessmentPoint,
        verbose_name=_("考查要点"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="self_assessment_attachments",
    )
    history = HistoricalRecords()

    objects = AssessmentPartQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "uploaded_at", "pk"]
        verbose_name = _("自评附件")
        verbose_name_plural = _("自评附件")

    def get_absolute_url(self) -> str:
        return reverse("inspections:self_assessment_attachment", args=[self.pk])
