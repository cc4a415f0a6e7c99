"""Every write of the supervisory (external) evaluation: teams, assignments, the visit record,
the bureau's review.

- Only bureau staff form evaluation teams (members are users with the inspector role) and
  assign kindergartens of the cycle's plan to a team. Assigning creates one draft evaluation
  per kindergarten and cycle; a draft may be moved to another team. An inspector's scope is
  `User.assigned_kindergartens` and nothing else: assigning adds the kindergartens to every
  member's, and a member who joins later gets the team's kindergartens too. Leaving a team or a
  reassignment does not take kindergartens away (the bureau may have granted them for other
  work; it edits a user's scope on the user's page).
- A member of the evaluation's team records the visit — visit date, per point a rating and
  findings, attachments, a summary and a proposed grade — as a draft at any time, and submits
  it when every point is rated and the visit date is set. A submitted evaluation is read only
  for the evaluators.
- The bureau publishes a submitted evaluation (a result grade is required) or returns it to
  draft with a comment. Once published the models refuse any change (`evaluation_locks`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Act, holders, may
from kindergartens.models import Kindergarten

from ..choices import EvaluationStatus, ResultGrade
from ..models import (
    AssessmentPoint,
    CycleAssignment,
    EvaluationCycle,
    EvaluationTeam,
    ExternalEvaluation,
    ExternalEvaluationAttachment,
    ExternalRating,
    Locked,
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

FINDINGS_MAX = ExternalRating.note_max()


def _grant_scope(users: Iterable[User], kindergarten_ids: Iterable[int]) -> None:
    """Adds kindergartens to inspectors' scope (`assigned_kindergartens`), skipping what they have."""
    kindergarten_ids = list(kindergarten_ids)
    if not kindergarten_ids:
        return
    for member in users:
        member.assigned_kindergartens.add(*kindergarten_ids)


# --- teams -----------------------------------------------------------------------------------------


def _check_members(leader: User | None, members: Sequence[User]) -> list[User]:
    errors: dict[str, list[str]] = {}
    # Members record the evaluation: only active users whose role records evaluations qualify.
    people = [*members, *([leader] if leader is not None else [])]
    eligible = set(holders(Act.RECORD).filter(pk__in=[m.pk for m in people]).values_list("pk", flat=True))
    not_inspectors = [m for m in members if m.pk not in eligible]
    if not_inspectors:
        errors["members"] = [
            _("评估组成员须为督学/评估专家：%(names)s 不是。") % {"names": "、".join(str(m) for m in not_inspectors)}
        ]
    if leader is not None and leader.pk not in eligible:
        errors["leader"] = [_("组长须为督学/评估专家。")]
    if errors:
        raise ValidationError(errors)
    members = list(members)
    if leader is not None and leader.pk not in {m.pk for m in members}:
        members.append(leader)  # the leader is a member too
    return members


def _team_kindergarten_ids(team: EvaluationTeam) -> list[int]:
    return list(ExternalEvaluation._base_manager.filter(team=team).values_list("kindergarten_id", flat=True))


@transaction.atomic
def evaluation_team_create(
    *,
    cycle: EvaluationCycle,
    name: str,
    user: User | None,
    leader: User | None = None,
    members: Sequence[User] = (),
    note: str = "",
) -> EvaluationTeam:
    ensure_may(user, Act.MANAGE)
    members = _check_members(leader, members)
    team = EvaluationTeam(cycle=cycle, name=name.strip(), leader=leader, note=note.strip())
    validated_save(team, user)
    team.members.set(members)
    return team


@transaction.atomic
def evaluation_team_update(
    *,
    team: EvaluationTeam,
    name: str,
    user: User | None,
    leader: User | None = None,
    members: Sequence[User] = (),
    note: str = "",
) -> EvaluationTeam:
    """Renames the team or changes its members; new members get the team's kindergartens."""
    ensure_may(user, Act.MANAGE)
    team = EvaluationTeam._base_manager.select_for_update().get(pk=team.pk)
    members = _check_members(leader, members)
    before = set(team.members.values_list("pk", flat=True))
    team.name = name.strip()
    team.leader = leader
    team.note = note.strip()
    validated_save(team, user)
    team.members.set(members)
    _grant_scope([m for m in members if m.pk not in before], _team_kindergarten_ids(team))
    return team


# --- assigning kindergartens ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignResult:
    created: int
    moved: int
    unchanged: int


def assignable_assignments(cycle: EvaluationCycle, team: EvaluationTeam | None = None):
    """The cycle plan's rows whose kindergarten can go to a team: no evaluation yet in the cycle,
    or a draft one (of another team, when `team` is given)."""
    locked = ExternalEvaluation._base_manager.filter(kindergarten=OuterRef("kindergarten"), cycle=cycle).exclude(
        status=EvaluationStatus.DRAFT
    )
    rows = CycleAssignment._base_manager.filter(cycle=cycle).exclude(Exists(locked))
    if team is not None:
        rows = rows.exclude(
            Exists(ExternalEvaluation._base_manager.filter(kindergarten=OuterRef("kindergarten"), team=team))
        )
    return rows


@transaction.atomic
def evaluation_assign(
    *, team: EvaluationTeam, kindergartens: Iterable[Kindergarten], user: User | None
) -> AssignResult:
    """Assigns kindergartens of the cycle's plan to the team, all or none.

    Each gets one draft evaluation in the cycle (an existing draft of another team moves to
    this one; one already submitted or published cannot move), and each kindergarten joins
    every team member's scope.
    """
    ensure_may(user, Act.MANAGE)
    team = EvaluationTeam._base_manager.select_for_update().select_related("cycle").get(pk=team.pk)
    cycle = team.cycle
    wanted = {k.pk: k for k in kindergartens}
    if not wanted:
        raise ValidationError({"kindergartens": [_("请至少选择一所幼儿园。")]})
    planned = set(
        CycleAssignment._base_manager.filter(cycle=cycle, kindergarten_id__in=wanted).values_list(
            "kindergarten_id", flat=True
        )
    )
    existing = {
        e.kindergarten_id: e
        for e in ExternalEvaluation._base_manager.select_for_update().filter(cycle=cycle, kindergarten_id__in=wanted)
    }
    errors = []
    for pk, kindergarten in wanted.items():
        if pk not in planned:
            errors.append(_("“%(name)s”不在本周期的评估安排中。") % {"name": kindergarten.name})
        elif pk in existing and existing[pk].status != EvaluationStatus.DRAFT and existing[pk].team_id != team.pk:
            errors.append(
                _("“%(name)s”的督导评估已%(status)s，不能改派评估组。")
                % {"name": kindergarten.name, "status": existing[pk].get_status_display()}
            )
    if errors:
        raise ValidationError({"kindergartens": errors})

    created = moved = unchanged = 0
    for pk in sorted(wanted):
        evaluation = existing.get(pk)
        if evaluation is None:
            evaluation = ExternalEvaluation(
                kindergarten_id=pk,
                cycle=cycle,
                framework_version_id=cycle.framework_version_id,
                team=team,
                created_by=user,
            )
            # Cycle, team and kindergarten were read just now; skip the per-row FK queries.
            validated_save(evaluation, user, exclude=["kindergarten", "cycle", "framework_version", "team"])
            created += 1
        elif evaluation.team_id != team.pk:
            evaluation.team = team
            validated_save(evaluation, user, exclude=["kindergarten", "cycle", "framework_version", "team"])
            moved += 1
        else:
            unchanged += 1
    _grant_scope(team.members.all(), wanted)
    return AssignResult(created=created, moved=moved, unchanged=unchanged)


# --- the visit record ---------------------------------------------------------------------------------


class IncompleteEvaluation(ValidationError):
    """Submit refused: some points have no rating (`missing`, in framework order), or no visit date."""

    def __init__(self, missing: Sequence[AssessmentPoint], *, visit_date_missing: bool = False) -> None:
        self.missing = list(missing)
        self.visit_date_missing = visit_date_missing
        errors: dict[str, list[str]] = {}
        if self.missing:
            errors[NON_FIELD_ERRORS] = [
                _("还有 %(count)d 个考查要点未评分，全部评分后才能提交。") % {"count": len(self.missing)}
            ]
        if visit_date_missing:
            errors["visit_date"] = [_("提交前须填写入园评估日期。")]
        for point in self.missing:
            errors[point_key(point.pk)] = [_("请为该考查要点评分。")]
        super().__init__(errors)


@dataclass(frozen=True)
class FindingInput:
    level_id: int | None
    findings: str = ""


def missing_points(evaluation: ExternalEvaluation) -> list[AssessmentPoint]:
    return unrated_points(ExternalRating, evaluation)


def _evaluation_for_recording(evaluation: ExternalEvaluation, user: User | None) -> ExternalEvaluation:
    """The row, locked for this transaction, if `user` may record it now; otherwise an exception."""
    evaluation = ExternalEvaluation._base_manager.select_for_update().get(pk=evaluation.pk)
    if not (may(user, Act.RECORD, evaluation.kindergarten_id) and evaluation.team.has_member(user)):
        raise PermissionDenied(_("只有本评估组的成员可以记录该督导评估。"))
    if evaluation.status != EvaluationStatus.DRAFT:
        raise Locked(_("督导评估已提交，评估组不能再修改；区教委退回后可继续修改。"))
    return evaluation


@transaction.atomic
def evaluation_save(
    *,
    evaluation: ExternalEvaluation,
    user: User | None,
    ratings: Mapping[int, FindingInput],
    visit_date: datetime.date | None = None,
    summary: str | None = None,
    grade: str | None = None,
    uploads: Sequence[tuple[AssessmentPoint | None, UploadedFile]] = (),
) -> ExternalEvaluation:
    """Saves the draft as it is, complete or not. `ratings` maps point ids to the inputs given;
    points not in it are left alone; a point with no rating and no findings has no row.
    `None` for visit date, summary or grade leaves them as they are ("" clears the grade).
    `uploads` are evidence files (for a point, or None for the whole), stored in the same
    transaction: a refused file leaves the rest unsaved too."""
    evaluation = _evaluation_for_recording(evaluation, user)
    book = RatingBook(ExternalRating, evaluation, evaluation.framework_version)
    errors = book.errors(ratings)
    if grade and grade not in ResultGrade.values:
        errors.setdefault("grade", []).append(_("请选择有效的评估结果等级。"))
    if visit_date is not None and visit_date > timezone.localdate():
        errors.setdefault("visit_date", []).append(_("入园评估日期不能晚于今天。"))
    if errors:
        raise ValidationError(errors)

    book.write(ratings, user)

    changed = False
    if visit_date is not None and visit_date != evaluation.visit_date:
        evaluation.visit_date, changed = visit_date, True
    if summary is not None and summary.strip() != evaluation.summary:
        evaluation.summary, changed = summary.strip(), True
    if grade is not None and grade != evaluation.grade:
        evaluation.grade, changed = grade, True
    if changed:
        validated_save(evaluation, user, exclude=["kindergarten", "cycle", "framework_version", "team"])
    for point, file in uploads:
        evaluation_attachment_add(evaluation=evaluation, user=user, file=file, point=point)
    return evaluation


@transaction.atomic
def evaluation_submit(*, evaluation: ExternalEvaluation, user: User | None) -> ExternalEvaluation:
    """Submits a complete draft for the bureau's approval; raises `IncompleteEvaluation`
    naming every unrated point (and the visit date when it is missing)."""
    evaluation = _evaluation_for_recording(evaluation, user)
    missing = missing_points(evaluation)
    if missing or evaluation.visit_date is None:
        raise IncompleteEvaluation(missing, visit_date_missing=evaluation.visit_date is None)
    evaluation.status = EvaluationStatus.SUBMITTED
    evaluation.submitted_at = timezone.now()
    evaluation.submitted_by = user
    return validated_save(evaluation, user, exclude=["kindergarten", "cycle", "framework_version", "team"])


def _evaluation_for_review(evaluation: ExternalEvaluation, user: User | None) -> ExternalEvaluation:
    ensure_may(user, Act.REVIEW)
    evaluation = ExternalEvaluation._base_manager.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != EvaluationStatus.SUBMITTED:
        raise ValidationError(_("只有已提交、待审定的督导评估可以审定。"))
    return evaluation


@transaction.atomic
def evaluation_publish(
    *, evaluation: ExternalEvaluation, user: User | None, grade: str | None = None, comment: str = ""
) -> ExternalEvaluation:
    """Approves and publishes the result with its grade (the evaluators' proposal unless `grade`
    is given); from now on the evaluation and its ratings never change."""
    evaluation = _evaluation_for_review(evaluation, user)
    if grade:
        evaluation.grade = grade
    if not evaluation.grade:
        raise ValidationError({"grade": [_("公布前须确定评估结果等级。")]})
    evaluation.status = EvaluationStatus.PUBLISHED
    evaluation.review_comment = comment.strip()
    evaluation.published_at = timezone.now()
    evaluation.published_by = user
    return validated_save(evaluation, user, exclude=["kindergarten", "cycle", "framework_version", "team"])


@transaction.atomic
def evaluation_return(*, evaluation: ExternalEvaluation, user: User | None, comment: str) -> ExternalEvaluation:
    """Sends a submitted evaluation back to its team as a draft, with the bureau's comment."""
    evaluation = _evaluation_for_review(evaluation, user)
    if not comment.strip():
        raise ValidationError({"comment": [_("退回时须填写审定意见，说明需要修改的地方。")]})
    evaluation.status = EvaluationStatus.DRAFT
    evaluation.review_comment = comment.strip()
    evaluation.submitted_at = None
    evaluation.submitted_by = None
    return validated_save(evaluation, user, exclude=["kindergarten", "cycle", "framework_version", "team"])


# --- attachments ------------------------------------------------------------------------------------


@transaction.atomic
def evaluation_attachment_add(
    *,
    evaluation: ExternalEvaluation,
    user: User | None,
    file: UploadedFile,
    point: AssessmentPoint | None = None,
) -> ExternalEvaluationAttachment:
    """Stores a checked evidence file (type by extension and content, size) for a draft."""
    evaluation = _evaluation_for_recording(evaluation, user)
    if point is not None and not evaluation.framework_version.points().filter(pk=point.pk).exists():
        raise ValidationError({"point": [_("该考查要点不属于本次评估所用的评估手册版本。")]})
    return store_attachment(ExternalEvaluationAttachment(evaluation=evaluation, point=point), file, user)


@transaction.atomic
def evaluation_attachment_delete(*, attachment: ExternalEvaluationAttachment, user: User | None) -> None:
    _evaluation_for_recording(attachment.evaluation, user)
    delete_attachment(attachment, user)
