"""Writes to self-assessments: start, save, submit, review (accept/return), revise, evidence.

A director fills the self-assessment of their own kindergarten only, and only while it is a
draft; it can be submitted only when every point is rated; once submitted it is frozen for
everybody (bureau included) until the bureau returns it, and a returned one is revised as a
new version — the returned version stays exactly as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.permissions import Act, may
from kindergartens.models import Kindergarten

from ..choices import AssessmentStatus
from ..models import (
    AssessmentPoint,
    CycleAssignment,
    EvaluationCycle,
    Locked,
    SelfAssessment,
    SelfAssessmentAttachment,
    SelfAssessmentRating,
)
from .common import (
    RatingBook,
    delete_attachment,
    ensure_may,
    point_key,
    store_attachment,
    unrated_points,
    validated_save,
)


class IncompleteAssessment(ValidationError):
    """Submit refused: some points have no rating. `missing` lists them, in framework order."""

    def __init__(self, missing: Sequence[AssessmentPoint]) -> None:
        self.missing = list(missing)
        errors: dict[str, list[str]] = {
            NON_FIELD_ERRORS: [
                _("还有 %(count)d 个考查要点未评分，全部评分后才能提交。") % {"count": len(self.missing)}
            ]
        }
        for point in self.missing:
            errors[point_key(point.pk)] = [_("请为该考查要点评分。")]
        super().__init__(errors)


@dataclass(frozen=True)
class RatingInput:
    level_id: int | None
    evidence_note: str = ""


def missing_points(assessment: SelfAssessment) -> list[AssessmentPoint]:
    return unrated_points(SelfAssessmentRating, assessment)


def _assessment_for_filling(assessment: SelfAssessment, user: User | None) -> SelfAssessment:
    """The row, locked for this transaction, if `user` may fill it now; otherwise an exception."""
    assessment = SelfAssessment._base_manager.select_for_update().get(pk=assessment.pk)
    if not may(user, Act.FILL, assessment.kindergarten_id):
        raise PermissionDenied(_("只有本园园长可以填写本园的自评。"))
    if not assessment.is_draft:
        raise Locked(_("已提交的自评不能修改；退回后可在新版本中修改。"))
    return assessment


@transaction.atomic
def self_assessment_start(*, kindergarten: Kindergarten, cycle: EvaluationCycle, user: User | None) -> SelfAssessment:
    """The live self-assessment of the kindergarten in the cycle, created as version 1 if none."""
    if not may(user, Act.FILL, kindergarten.pk):
        raise PermissionDenied(_("只有本园园长可以填写本园的自评。"))
    assignment = CycleAssignment._base_manager.filter(cycle=cycle, kindergarten=kindergarten).first()
    if assignment is None:
        raise ValidationError(_("本园不在“%(cycle)s”的评估安排中，请联系区教委。") % {"cycle": cycle})
    latest = (
        SelfAssessment._base_manager.select_for_update()
        .filter(kindergarten=kindergarten, cycle=cycle)
        .order_by("-version")
        .first()
    )
    if latest is not None:
        if latest.status == AssessmentStatus.RETURNED:
            raise ValidationError(_("本园的自评已被退回，请在退回的版本上“修订”。"))
        return latest
    assessment = SelfAssessment(
        kindergarten=kindergarten,
        cycle=cycle,
        framework_version=cycle.framework_version,
        version=1,
        due_date=assignment.self_assessment_due,
        created_by=user,
    )
    return validated_save(assessment, user)


@transaction.atomic
def self_assessment_save(
    *,
    assessment: SelfAssessment,
    user: User | None,
    ratings: Mapping[int, RatingInput],
    summary: str | None = None,
    uploads: Sequence[tuple[AssessmentPoint | None, UploadedFile]] = (),
) -> SelfAssessment:
    """Saves the draft as it is, complete or not. `ratings` maps point ids to the inputs given;
    points not in it are left alone. A point with no rating and no note has no row. `uploads`
    are evidence files (for a point, or None for the whole), stored in the same transaction:
    a refused file leaves the ratings unsaved too."""
    assessment = _assessment_for_filling(assessment, user)
    book = RatingBook(SelfAssessmentRating, assessment, assessment.framework_version)
    errors = book.errors(ratings)
    if errors:
        raise ValidationError(errors)
    book.write(ratings, user)
    if summary is not None and summary.strip() != assessment.summary:
        assessment.summary = summary.strip()
        validated_save(assessment, user)
    for point, file in uploads:
        self_assessment_attachment_add(assessment=assessment, user=user, file=file, point=point)
    return assessment


@transaction.atomic
def self_assessment_submit(*, assessment: SelfAssessment, user: User | None) -> SelfAssessment:
    """Submits a complete draft; raises `IncompleteAssessment` naming every unrated point."""
    assessment = _assessment_for_filling(assessment, user)
    missing = missing_points(assessment)
    if missing:
        raise IncompleteAssessment(missing)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = user
    return validated_save(assessment, user)


def _assessment_for_review(assessment: SelfAssessment, user: User | None) -> SelfAssessment:
    ensure_may(user, Act.REVIEW)
    assessment = SelfAssessment._base_manager.select_for_update().get(pk=assessment.pk)
    if not assessment.is_submitted:
        raise ValidationError(_("只有已提交、待审核的自评可以审核。"))
    return assessment


@transaction.atomic
def self_assessment_return(*, assessment: SelfAssessment, user: User | None, comment: str) -> SelfAssessment:
    """Returns a submitted version with the bureau's comments; the director revises it as a new version."""
    assessment = _assessment_for_review(assessment, user)
    if not comment.strip():
        raise ValidationError({"review_comment": [_("退回时须填写审核意见，说明需要修改的地方。")]})
    assessment.status = AssessmentStatus.RETURNED
    assessment.review_comment = comment.strip()
    assessment.reviewed_at = timezone.now()
    assessment.reviewed_by = user
    return validated_save(assessment, user)


@transaction.atomic
def self_assessment_accept(*, assessment: SelfAssessment, user: User | None, comment: str = "") -> SelfAssessment:
    assessment = _assessment_for_review(assessment, user)
    assessment.status = AssessmentStatus.ACCEPTED
    assessment.review_comment = comment.strip()
    assessment.reviewed_at = timezone.now()
    assessment.reviewed_by = user
    return validated_save(assessment, user)


@transaction.atomic
def self_assessment_revise(*, assessment: SelfAssessment, user: User | None) -> SelfAssessment:
    """Version n+1 of a returned self-assessment, a draft with the same ratings, notes and
    attachments; version n stays as it was returned. Calling it again returns the same draft."""
    assessment = SelfAssessment._base_manager.select_for_update().get(pk=assessment.pk)
    if not may(user, Act.FILL, assessment.kindergarten_id):
        raise PermissionDenied(_("只有本园园长可以修订本园的自评。"))
    existing = SelfAssessment._base_manager.filter(revised_from=assessment).first()
    if existing is not None:
        return existing
    if assessment.status != AssessmentStatus.RETURNED:
        raise ValidationError(_("只有被退回的自评可以修订。"))
    due = (
        CycleAssignment._base_manager.filter(cycle_id=assessment.cycle_id, kindergarten_id=assessment.kindergarten_id)
        .values_list("self_assessment_due", flat=True)
        .first()
    )
    revision = SelfAssessment(
        kindergarten_id=assessment.kindergarten_id,
        cycle_id=assessment.cycle_id,
        framework_version_id=assessment.framework_version_id,
        version=assessment.version + 1,
        revised_from=assessment,
        summary=assessment.summary,
        due_date=due or assessment.due_date,
        created_by=user,
    )
    validated_save(revision, user)
    ratings = [
        SelfAssessmentRating(
            assessment=revision, point_id=r.point_id, level_id=r.level_id, evidence_note=r.evidence_note
        )
        for r in SelfAssessmentRating._base_manager.filter(assessment=assessment)
    ]
    if ratings:
        bulk_create_with_history(ratings, SelfAssessmentRating, default_user=user)
    # The new rows point at the same stored files; a file is removed only when no row uses it.
    attachments = [
        SelfAssessmentAttachment(
            assessment=revision,
            point_id=a.point_id,
            file=a.file.name,
            original_name=a.original_name,
            content_type=a.content_type,
            size=a.size,
            uploaded_at=a.uploaded_at,
            uploaded_by_id=a.uploaded_by_id,
        )
        for a in SelfAssessmentAttachment._base_manager.filter(assessment=assessment)
    ]
    if attachments:
        bulk_create_with_history(attachments, SelfAssessmentAttachment, default_user=user)
    return revision


@transaction.atomic
def self_assessment_attachment_add(
    *,
    assessment: SelfAssessment,
    user: User | None,
    file: UploadedFile,
    point: AssessmentPoint | None = None,
) -> SelfAssessmentAttachment:
    """Stores a checked evidence file (type by extension and content, size) for a draft."""
    assessment = _assessment_for_filling(assessment, user)
    if point is not None and not assessment.framework_version.points().filter(pk=point.pk).exists():
        raise ValidationError({"point": [_("该考查要点不属于本次自评所用的评估手册版本。")]})
    return store_attachment(SelfAssessmentAttachment(assessment=assessment, point=point), file, user)


@transaction.atomic
def self_assessment_attachment_delete(*, attachment: SelfAssessmentAttachment, user: User | None) -> None:
    _assessment_for_filling(attachment.assessment, user)
    delete_attachment(attachment, user)
