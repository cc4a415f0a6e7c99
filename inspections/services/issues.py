"""Every write of the issue lists (问题清单) and their improvement (改进成效).

Pages, the API, the demo seeder and the tests all go through these functions, so the rules
live here:

- an issue list is drawn up from a self-assessment (submitted or accepted) or an external
  evaluation (submitted or published) by bureau staff or the evaluators — inspectors with the
  kindergarten assigned to them; every issue names its framework point, its source and a
  deadline. All the issues of one list are created in one transaction: one bad row and
  nothing is saved;
- the kindergarten's own director reports the improvement with a note and evidence files
  (open → reported); the evaluator or the bureau verifies it (reported → verified) or sends it
  back with a comment (reported → open). Nothing else moves an issue (`ISSUE_TRANSITIONS`);
- until it is verified, the same evaluators (or the bureau) may correct an issue's description
  and move its deadline (a moved deadline needs a reason), each correction a step of its own;
- every step is an `IssueEvent`, only ever added, never changed, so the trajectory stays as
  it happened; every change of an issue is kept in its history with its user.

Errors are `ValidationError`s keyed by field (or, for a list drawn from an evaluation, by
`description_<point>` / `deadline_<point>`), so forms and the API show them where they belong.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Act, may
from common.files import check_upload
from kindergartens.models import Kindergarten

from ..choices import AssessmentStatus, EvaluationStatus, IssueEventKind, IssueSource, IssueStatus
from ..models import (
    AssessmentPoint,
    EvaluationCycle,
    ExternalEvaluation,
    ExternalRating,
    IssueAttachment,
    IssueEvent,
    QualityIssue,
    RatingLevel,
    SelfAssessment,
    SelfAssessmentRating,
)
from .common import store_attachment, validated_save, with_user

# Allowed moves of an issue; anything else is refused.
ISSUE_TRANSITIONS: dict[str, frozenset[str]] = {
    IssueStatus.OPEN: frozenset({IssueStatus.REPORTED}),
    IssueStatus.REPORTED: frozenset({IssueStatus.VERIFIED, IssueStatus.OPEN}),
    IssueStatus.VERIFIED: frozenset(),
}
# Sources an issue list may be drawn from, by status. An external evaluation only once the bureau
# has published it: the director sees the issues, and must not see the findings any earlier.
SELF_ASSESSMENT_SOURCE_STATUSES = frozenset({AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED})
EVALUATION_SOURCE_STATUSES = frozenset({EvaluationStatus.PUBLISHED})
# How many of the lowest levels of a point's scale count as a low rating (preselected).
LOW_LEVELS = 2
DEFAULT_DEADLINE_DAYS = 60

Source = SelfAssessment | ExternalEvaluation


# --- who may do what -------------------------------------------------------------------------


def _require_evaluator(user: User | None, kindergarten_id: int | None) -> None:
    """Drawing up issue lists and verifying improvements: bureau staff, or an inspector to whom
    the kindergarten is assigned (`Act.EVALUATE`); an issue always names its kindergarten."""
    if kindergarten_id is None or not may(user, Act.EVALUATE, kindergarten_id):
        raise PermissionDenied(_("只有区教委工作人员和负责该园的督学可以执行此操作。"))


# --- sources: which points an issue list is drawn from -----------------------------------------


def source_kind(source: Source) -> str:
    return IssueSource.SELF_ASSESSMENT if isinstance(source, SelfAssessment) else IssueSource.EXTERNAL_EVALUATION


def source_is_ready(source: Source) -> bool:
    if isinstance(source, SelfAssessment):
        return source.status in SELF_ASSESSMENT_SOURCE_STATUSES
    return source.status in EVALUATION_SOURCE_STATUSES


def _source_filter(source: Source) -> dict:
    key = "self_assessment" if isinstance(source, SelfAssessment) else "external_evaluation"
    return {key: source}


def low_level_ids(scale_ids: set[int]) -> set[int]:
    """The lowest `LOW_LEVELS` levels of each scale (one query)."""
    by_scale: dict[int, list[RatingLevel]] = {}
    for level in RatingLevel._base_manager.filter(scale_id__in=scale_ids).order_by("scale_id", "value"):
        by_scale.setdefault(level.scale_id, []).append(level)
    return {level.pk for levels in by_scale.values() for level in levels[:LOW_LEVELS]}


@dataclass
class SourcePoint:
    """One point of the source evaluation, as the issue-list page offers it."""

    point: AssessmentPoint
    level: RatingLevel | None
    text: str  # the findings (external) or the evidence note (self-assessment)
    low: bool
    existing: QualityIssue | None
    external: bool = False

    @property
    def preselected(self) -> bool:
        return self.existing is None and (self.low or bool(self.text.strip() and self.external))


def source_points(source: Source) -> list[SourcePoint]:
    """Every point of the source's framework version in order, with its rating and text and the
    issue already drawn up for it from this source, if any. A fixed number of queries.

    Preselected: points rated in the scale's lowest two levels, and points with findings from
    an external evaluation (a self-assessment's evidence note is not a finding)."""
    external = isinstance(source, ExternalEvaluation)
    if external:
        ratings = ExternalRating._base_manager.filter(evaluation=source).select_related("level")
        texts = {r.point_id: r.findings for r in ratings}
    else:
        ratings = SelfAssessmentRating._base_manager.filter(assessment=source).select_related("level")
        texts = {r.point_id: r.evidence_note for r in ratings}
    levels = {r.point_id: r.level for r in ratings}
    points = []
    for area in source.framework_version.structure():
        for indicator in area.indicator_list:
            for point in indicator.point_list:
                point.indicator = indicator
                point.area = area
                points.append(point)
    low = low_level_ids({p.rating_scale_id for p in points})
    existing = {i.point_id: i for i in QualityIssue._base_manager.filter(**_source_filter(source))}
    rows = []
    for point in points:
        level = levels.get(point.pk)
        row = SourcePoint(
            point=point,
            level=level,
            text=texts.get(point.pk, "") or "",
            low=level is not None and level.pk in low,
            existing=existing.get(point.pk),
            external=external,
        )
        rows.append(row)
    return rows


def default_description(row: SourcePoint) -> str:
    if row.text.strip():
        return row.text.strip()
    if row.level is not None and row.low:
        return _("该考查要点评为“%(level)s”，需改进。") % {"level": row.level.label}
    return ""


# --- drawing up issues -------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueInput:
    point_id: int
    description: str
    deadline: datetime.date | None


def description_key(point_id: int) -> str:
    return f"description_{point_id}"


def deadline_key(point_id: int) -> str:
    return f"deadline_{point_id}"


def _check_row(
    errors: dict,
    *,
    description: str,
    deadline,
    opened_on: datetime.date,
    keys: tuple[str, str],
    too_early: str | None = None,
) -> None:
    """Description and deadline of one issue: both required, the deadline after `opened_on`
    (`too_early` words that error when `opened_on` is not the day the issue was raised)."""
    description_field, deadline_field = keys
    if not (description or "").strip():
        errors.setdefault(description_field, []).append(_("请填写问题描述。"))
    elif len(description.strip()) > 2000:
        errors.setdefault(description_field, []).append(_("问题描述不能超过 2000 字。"))
    if deadline is None:
        errors.setdefault(deadline_field, []).append(_("请填写整改期限。"))
    elif deadline <= opened_on:
        errors.setdefault(deadline_field, []).append(too_early or _("整改期限须晚于问题提出日期。"))


def _opened_at(opened_on: datetime.date | None) -> tuple[datetime.date, datetime.datetime]:
    """The date the list is drawn up (default today; the demo backdates it) and its timestamp."""
    now = timezone.now()
    if opened_on is None or opened_on == timezone.localdate():
        return timezone.localdate(), now
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": [_("日期不能晚于今天。")]})
    moment = datetime.datetime.combine(opened_on, timezone.localtime(now).time())
    return opened_on, timezone.make_aware(moment)


def _locked_source(source: Source) -> Source:
    model = type(source)
    return model._base_manager.select_for_update().select_related("framework_version").get(pk=source.pk)


@transaction.atomic
def issues_create_from_source(
    *,
    source: Source,
    user: User | None,
    issues: Sequence[IssueInput],
    opened_on: datetime.date | None = None,
) -> list[QualityIssue]:
    """The issue list of a self-assessment or an external evaluation, all rows or none.

    Every row names a point of the source's framework version not yet on its list, with a
    description and a deadline after the list's date; errors are keyed per row
    (`description_<point>`, `deadline_<point>`)."""
    source = _locked_source(source)
    _require_evaluator(user, source.kindergarten_id)
    if not source_is_ready(source):
        raise ValidationError(_("问题清单只能从已提交或已通过的自评、已审定公布的督导评估生成。"))
    opened_on, opened_at = _opened_at(opened_on)
    if not issues:
        raise ValidationError(_("请至少选择一个考查要点。"))
    points = {p.pk: p for p in source.framework_version.points()}
    taken = set(QualityIssue._base_manager.filter(**_source_filter(source)).values_list("point_id", flat=True))
    errors: dict[str, list] = {}
    seen: set[int] = set()
    for row in issues:
        if row.point_id not in points:
            errors.setdefault(description_key(row.point_id), []).append(
                _("该考查要点不属于本次评估所用的评估手册版本。")
            )
            continue
        if row.point_id in taken or row.point_id in seen:
            errors.setdefault(description_key(row.point_id), []).append(_("该考查要点已列入本次评估的问题清单。"))
        seen.add(row.point_id)
        _check_row(
            errors,
            description=row.description,
            deadline=row.deadline,
            opened_on=opened_on,
            keys=(description_key(row.point_id), deadline_key(row.point_id)),
        )
    if errors:
        raise ValidationError(errors)

    kind = source_kind(source)
    created = []
    for row in issues:
        issue = QualityIssue(
            kindergarten_id=source.kindergarten_id,
            cycle_id=source.cycle_id,
            point=points[row.point_id],
            source=kind,
            description=row.description.strip(),
            deadline=row.deadline,
            created_at=opened_at,
            created_by=user,
            **_source_filter(source),
        )
        # Source, kindergarten, cycle and point were checked against each other above.
        issue.full_clean(exclude=["kindergarten", "cycle", "point", "self_assessment", "external_evaluation"])
        with_user(issue, user).save()
        created.append(issue)
    return created


def matching_source(kindergarten: Kindergarten, cycle: EvaluationCycle, kind: str) -> Source | None:
    """The kindergarten's evaluation of that kind in the cycle that an issue can be drawn from."""
    if kind == IssueSource.SELF_ASSESSMENT:
        return (
            SelfAssessment._base_manager.filter(
                kindergarten=kindergarten, cycle=cycle, status__in=SELF_ASSESSMENT_SOURCE_STATUSES
            )
            .order_by("-version")
            .first()
        )
    return ExternalEvaluation._base_manager.filter(
        kindergarten=kindergarten, cycle=cycle, status__in=EVALUATION_SOURCE_STATUSES
    ).first()


@transaction.atomic
def issue_create(
    *,
    kindergarten: Kindergarten,
    cycle: EvaluationCycle,
    point: AssessmentPoint,
    source: str,
    description: str,
    deadline: datetime.date | None,
    user: User | None,
) -> QualityIssue:
    """One issue added by hand. It is tied to the kindergarten's self-assessment or external
    evaluation of that cycle when there is one to draw from."""
    _require_evaluator(user, kindergarten.pk if kindergarten else None)
    errors: dict[str, list] = {}
    if source not in IssueSource.values:
        errors.setdefault("source", []).append(_("请选择问题来源。"))
    _check_row(
        errors,
        description=description,
        deadline=deadline,
        opened_on=timezone.localdate(),
        keys=("description", "deadline"),
    )
    if errors:
        raise ValidationError(errors)
    record = matching_source(kindergarten, cycle, source)
    issue = QualityIssue(
        kindergarten=kindergarten,
        cycle=cycle,
        point=point,
        source=source,
        description=description.strip(),
        deadline=deadline,
        created_by=user,
    )
    if isinstance(record, SelfAssessment):
        issue.self_assessment = record
    elif isinstance(record, ExternalEvaluation):
        issue.external_evaluation = record
    return validated_save(issue, user)


# --- corrections: the description and the deadline ---------------------------------------------

REASON_MAX_LENGTH = 500


@transaction.atomic
def issue_update(
    *,
    issue: QualityIssue,
    user: User | None,
    description: str,
    deadline: datetime.date | None,
    reason: str = "",
) -> IssueEvent | None:
    """The evaluator (or the bureau) corrects the description or moves the deadline of an issue
    not yet verified. A new deadline must be after today, like a new issue's, and needs a reason
    (调整原因); an unchanged overdue deadline may stay. The correction is a step of the issue
    (`change_deadline` when the deadline moves, else `update`) and the history keeps the old
    values. Nothing changed: nothing is written and None is returned."""
    issue = _issue_for_update(issue)
    _require_evaluator(user, issue.kindergarten_id)
    if issue.status == IssueStatus.VERIFIED:
        raise ValidationError(_("问题已验证通过，不能再修改。"), code="final")
    description = (description or "").strip()
    reason = (reason or "").strip()
    moved = deadline != issue.deadline
    errors: dict[str, list] = {}
    _check_row(
        errors,
        description=description,
        deadline=deadline,
        # An unchanged deadline is not checked again: correcting an overdue issue's description
        # does not force a new deadline.
        opened_on=timezone.localdate() if moved else datetime.date.min,
        keys=("description", "deadline"),
        too_early=_("整改期限须晚于今天。"),
    )
    if moved and deadline is not None and not reason:
        errors.setdefault("reason", []).append(_("调整整改期限时须说明原因。"))
    elif len(reason) > REASON_MAX_LENGTH:
        errors.setdefault("reason", []).append(_("调整原因不能超过 %(limit)d 字。") % {"limit": REASON_MAX_LENGTH})
    if errors:
        raise ValidationError(errors)
    changed = description != issue.description
    if not (moved or changed):
        return None

    lines = []
    if changed:
        lines.append(_("问题描述已修改。"))
    if moved:
        lines.append(
            _("整改期限由 %(old)s 调整为 %(new)s。") % {"old": issue.deadline.isoformat(), "new": deadline.isoformat()}
        )
    if reason:
        lines.append(_("调整原因：%(reason)s") % {"reason": reason})
    kind = IssueEventKind.CHANGE_DEADLINE if moved else IssueEventKind.UPDATE
    event = _event(issue, kind, "\n".join(lines), user)
    issue.description = description
    issue.deadline = deadline
    with_user(issue, user).save(update_fields=["description", "deadline"])
    return event


# --- improvement: report, verify, send back ----------------------------------------------------


def _issue_for_update(issue: QualityIssue) -> QualityIssue:
    return QualityIssue._base_manager.select_for_update().get(pk=issue.pk)


def _move(issue: QualityIssue, new: str) -> None:
    if new not in ISSUE_TRANSITIONS[issue.status]:
        raise ValidationError(
            _("问题不能从“%(old)s”改为“%(new)s”。")
            % {"old": IssueStatus(issue.status).label, "new": IssueStatus(new).label},
            code="transition",
        )
    issue.status = new


def _event(issue: QualityIssue, kind: str, note: str, user: User | None) -> IssueEvent:
    event = IssueEvent(issue=issue, kind=kind, note=note, created_by=user)
    event.full_clean(exclude=["issue", "created_by"])
    event.save()
    return event


def _attach(issue: QualityIssue, event: IssueEvent, file: UploadedFile, user: User | None) -> IssueAttachment:
    return store_attachment(IssueAttachment(issue=issue, event=event), file, user, exclude=["issue", "event"])


@transaction.atomic
def issue_report(
    *, issue: QualityIssue, user: User | None, note: str, files: Sequence[UploadedFile] = ()
) -> IssueEvent:
    """The director reports the improvement with a note and evidence files: open → reported."""
    issue = _issue_for_update(issue)
    if not may(user, Act.REPORT, issue.kindergarten_id):
        raise PermissionDenied(_("只有本园园长可以报告本园的整改成效。"))
    errors: dict[str, list] = {}
    if not (note or "").strip():
        errors.setdefault("note", []).append(_("请说明整改的做法和成效。"))
    elif len(note.strip()) > 2000:
        errors.setdefault("note", []).append(_("说明不能超过 2000 字。"))
    for file in files:
        try:
            check_upload(file)
        except ValidationError as error:
            errors.setdefault("files", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    _move(issue, IssueStatus.REPORTED)
    event = _event(issue, IssueEventKind.REPORT, note.strip(), user)
    for file in files:
        file.seek(0)
        _attach(issue, event, file, user)
    with_user(issue, user).save(update_fields=["status"])
    return event


def _reported_issue(issue: QualityIssue, user: User | None) -> QualityIssue:
    issue = _issue_for_update(issue)
    _require_evaluator(user, issue.kindergarten_id)
    return issue


@transaction.atomic
def issue_verify(*, issue: QualityIssue, user: User | None, note: str = "") -> IssueEvent:
    """The evaluator (or the bureau) confirms the improvement: reported → verified."""
    issue = _reported_issue(issue, user)
    if len((note or "").strip()) > 2000:
        raise ValidationError({"note": [_("说明不能超过 2000 字。")]})
    _move(issue, IssueStatus.VERIFIED)
    issue.verified_at = timezone.now()
    issue.verified_by = user
    event = _event(issue, IssueEventKind.VERIFY, (note or "").strip() or _("整改成效已验证。"), user)
    with_user(issue, user).save(update_fields=["status", "verified_at", "verified_by"])
    return event


@transaction.atomic
def issue_send_back(*, issue: QualityIssue, user: User | None, note: str) -> IssueEvent:
    """The evaluator (or the bureau) finds the improvement insufficient: reported → open."""
    issue = _reported_issue(issue, user)
    if not (note or "").strip():
        raise ValidationError({"note": [_("退回时须说明还需整改的地方。")]})
    if len(note.strip()) > 2000:
        raise ValidationError({"note": [_("说明不能超过 2000 字。")]})
    _move(issue, IssueStatus.OPEN)
    event = _event(issue, IssueEventKind.SEND_BACK, note.strip(), user)
    with_user(issue, user).save(update_fields=["status"])
    return event


def days_between(start: datetime.datetime | datetime.date | None, end: datetime.datetime | None) -> int | None:
    """Whole days from `start` to `end` in local dates (None if either is missing)."""
    if start is None or end is None:
        return None
    as_date = lambda value: timezone.localdate(value) if isinstance(value, datetime.datetime) else value  # noqa: E731
    return (as_date(end) - as_date(start)).days
