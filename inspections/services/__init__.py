"""Every write of the quality-evaluation app: handbook versions, the cycle plan, self-assessments.

Pages, the API, the demo seeder and the tests all go through these functions, so the rules
live in one place:

- only bureau staff maintain the handbook and the cycle plan; a published handbook version is
  never edited in place (the models refuse it): it is copied into a draft, and the draft is
  published as the next version;
- a director fills the self-assessment of their own kindergarten only, and only while it is a
  draft; it can be submitted only when every point is rated; once submitted it is frozen for
  everybody (bureau included) until the bureau returns it, and a returned one is revised as a
  new version — the returned version stays exactly as it was;
- every change is recorded in the model's history with the user who made it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from chaoyang_preschool.spreadsheets import (
    ImportRejected,
    get_sheet,
    opened_workbook,
    parse_rows,
    read_rows,
    validation_errors,
)
from kindergartens.models import Kindergarten

from ..choices import AssessmentStatus, FrameworkStatus, PointOrigin
from ..models import (
    Area,
    AssessmentPoint,
    AttachmentBase,
    CycleAssignment,
    EvaluationCycle,
    FrameworkVersion,
    KeyIndicator,
    Locked,
    RatingLevel,
    RatingScale,
    SelfAssessment,
    SelfAssessmentAttachment,
    SelfAssessmentRating,
)
from ..spreadsheets import SHEET_TITLE, point_columns
from ..uploads import check_upload

# --- who may do what -------------------------------------------------------------------------


def is_bureau(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_bureau)


def _ensure_bureau(user: User | None) -> None:
    if not is_bureau(user):
        raise PermissionDenied(_("只有区教委工作人员可以执行此操作。"))


def may_fill(user: User | None, kindergarten_id: int) -> bool:
    """The self-assessment is the kindergarten's own: only its director fills and submits it."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.is_director
        and user.kindergarten_id
        and user.kindergarten_id == kindergarten_id
    )


def _with_user(instance: models.Model, user: User | None) -> models.Model:
    instance._history_user = user  # read by django-simple-history instead of the request's user
    return instance


def _save(instance: models.Model, user: User | None, **clean_kwargs) -> models.Model:
    instance.full_clean(**clean_kwargs)
    _with_user(instance, user).save()
    return instance


def _store_attachment(attachment: AttachmentBase, file: UploadedFile, user: User | None, **clean_kwargs):
    """Checks the upload (type by extension and content, size), stores it under a random name
    and saves the row; if the row cannot be saved, its file goes too. Should an enclosing
    transaction roll back later, the file stays behind unreferenced: it is never served (only
    rows are), so that is harmless, unlike a row without its file."""
    kind = check_upload(file)
    attachment.original_name = PurePosixPath(file.name).name[:255]
    attachment.content_type = kind.content_type
    attachment.size = file.size
    attachment.uploaded_by = user
    attachment.file.save(attachment.original_name, file, save=False)
    stored_name = attachment.file.name
    try:
        _save(attachment, user, **clean_kwargs)
    except Exception:
        attachment.file.storage.delete(stored_name)
        raise
    return attachment


def _delete_attachment(attachment: AttachmentBase, user: User | None) -> None:
    """Deletes the row now and its file once the transaction commits, unless another row uses it."""
    model = type(attachment)
    attachment = model._base_manager.get(pk=attachment.pk)
    name = attachment.file.name
    storage = attachment.file.storage
    _with_user(attachment, user).delete()

    def remove_unused_file() -> None:
        if not model._base_manager.filter(file=name).exists():
            storage.delete(name)

    transaction.on_commit(remove_unused_file)


# --- the handbook ------------------------------------------------------------------------------


def _next_version_number() -> int:
    return (FrameworkVersion._base_manager.aggregate(n=Max("version"))["n"] or 0) + 1


@transaction.atomic
def framework_version_copy(
    *, source: FrameworkVersion, user: User | None, name: str = "", is_demo: bool | None = None
) -> FrameworkVersion:
    """A new draft with the source's areas, key indicators and points, to be edited and published.

    `is_demo` marks a demo handbook (default: as the source)."""
    _ensure_bureau(user)
    if not source.is_published:
        raise ValidationError(_("只能复制已发布的版本。"))
    draft = FrameworkVersion(
        name=(name or source.name).strip(),
        version=_next_version_number(),
        based_on=source,
        rating_scale=source.rating_scale,
        source=source.source,
        description=source.description,
        is_demo=source.is_demo if is_demo is None else is_demo,
        created_by=user,
    )
    _save(draft, user)
    for area in source.structure():
        new_area = _save(Area(framework_version=draft, order=area.order, name=area.name), user)
        for indicator in area.indicator_list:
            new_indicator = _save(KeyIndicator(area=new_area, order=indicator.order, name=indicator.name), user)
            points = [
                AssessmentPoint(
                    key_indicator=new_indicator,
                    order=point.order,
                    text=point.text,
                    guidance=point.guidance,
                    evidence_expected=point.evidence_expected,
                    rating_scale_id=point.rating_scale_id,
                    origin=point.origin,
                    source=point.source,
                    carried_from=point,
                )
                for point in indicator.point_list
            ]
            if points:
                bulk_create_with_history(points, AssessmentPoint, default_user=user)
    return draft


def _draft_for_update(version: FrameworkVersion) -> FrameworkVersion:
    version = FrameworkVersion._base_manager.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise Locked(_("已发布的评估手册版本不能修改，请复制为新草稿后修改。"))
    return version


@transaction.atomic
def framework_version_update(
    *,
    version: FrameworkVersion,
    user: User | None,
    name: str,
    source: str = "",
    description: str = "",
    rating_scale: RatingScale | None = None,
) -> FrameworkVersion:
    _ensure_bureau(user)
    version = _draft_for_update(version)
    version.name = name.strip()
    version.source = source.strip()
    version.description = description.strip()
    if rating_scale is not None:
        version.rating_scale = rating_scale
    return _save(version, user)


@transaction.atomic
def framework_version_publish(*, version: FrameworkVersion, user: User | None) -> FrameworkVersion:
    """Freezes the draft as a new published version; from now on it only changes by copying."""
    _ensure_bureau(user)
    version = _draft_for_update(version)
    points = list(version.points())
    if not points:
        raise ValidationError(_("该版本还没有任何考查要点，不能发布。"))
    for point in points:
        try:
            point.full_clean()
        except ValidationError as error:
            raise ValidationError(
                _("考查要点“%(point)s”有误：%(errors)s") % {"point": point, "errors": "；".join(error.messages)}
            ) from error
    version.status = FrameworkStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user
    return _save(version, user)


@transaction.atomic
def framework_version_delete(*, version: FrameworkVersion, user: User | None) -> None:
    _ensure_bureau(user)
    version = _draft_for_update(version)
    _with_user(version, user).delete()


def _point_in_draft(point: AssessmentPoint) -> AssessmentPoint:
    point = AssessmentPoint._base_manager.select_related("key_indicator__area__framework_version").get(pk=point.pk)
    _draft_for_update(point.key_indicator.area.framework_version)
    return point


@transaction.atomic
def assessment_point_create(
    *,
    key_indicator: KeyIndicator,
    user: User | None,
    text: str,
    guidance: str = "",
    evidence_expected: str = "",
    origin: str = PointOrigin.DISTRICT,
    source: str = "",
    rating_scale: RatingScale | None = None,
) -> AssessmentPoint:
    """Adds a point at the end of its key indicator (draft versions only)."""
    _ensure_bureau(user)
    version = _draft_for_update(key_indicator.area.framework_version)
    last = AssessmentPoint._base_manager.filter(key_indicator=key_indicator).aggregate(n=Max("order"))["n"] or 0
    point = AssessmentPoint(
        key_indicator=key_indicator,
        order=last + 1,
        text=text.strip(),
        guidance=guidance.strip(),
        evidence_expected=evidence_expected.strip(),
        origin=origin,
        source=source.strip(),
        rating_scale=rating_scale or version.rating_scale,
    )
    return _save(point, user)


@transaction.atomic
def assessment_point_update(
    *,
    point: AssessmentPoint,
    user: User | None,
    key_indicator: KeyIndicator,
    text: str,
    guidance: str = "",
    evidence_expected: str = "",
    origin: str = PointOrigin.DISTRICT,
    source: str = "",
    rating_scale: RatingScale | None = None,
) -> AssessmentPoint:
    _ensure_bureau(user)
    point = _point_in_draft(point)
    if key_indicator.pk != point.key_indicator_id:
        last = AssessmentPoint._base_manager.filter(key_indicator=key_indicator).aggregate(n=Max("order"))["n"] or 0
        point.order = last + 1
    point.key_indicator = key_indicator
    point.text = text.strip()
    point.guidance = guidance.strip()
    point.evidence_expected = evidence_expected.strip()
    point.origin = origin
    point.source = source.strip()
    if rating_scale is not None:
        point.rating_scale = rating_scale
    return _save(point, user)


@transaction.atomic
def assessment_point_delete(*, point: AssessmentPoint, user: User | None) -> None:
    _ensure_bureau(user)
    point = _point_in_draft(point)
    _with_user(point, user).delete()


@transaction.atomic
def assessment_point_move(*, point: AssessmentPoint, user: User | None, offset: int) -> AssessmentPoint:
    """Moves a point up (offset -1) or down (+1) within its key indicator; orders become 1…n."""
    _ensure_bureau(user)
    point = _point_in_draft(point)
    siblings = list(
        AssessmentPoint._base_manager.select_for_update()
        .filter(key_indicator_id=point.key_indicator_id)
        .order_by("order", "pk")
    )
    index = next(i for i, p in enumerate(siblings) if p.pk == point.pk)
    target = min(max(index + offset, 0), len(siblings) - 1)
    siblings.insert(target, siblings.pop(index))
    for order, sibling in enumerate(siblings, start=1):
        if sibling.order != order:
            sibling.order = order
            _with_user(sibling, user).save(update_fields=["order"])
    return siblings[target]


# --- the three-year cycle ------------------------------------------------------------------------


@transaction.atomic
def evaluation_cycle_create(
    *,
    name: str,
    start_year: int,
    framework_version: FrameworkVersion,
    user: User | None,
    due_month: int = 6,
    due_day: int = 30,
) -> EvaluationCycle:
    _ensure_bureau(user)
    cycle = EvaluationCycle(
        name=name.strip(),
        start_year=start_year,
        framework_version=framework_version,
        due_month=due_month,
        due_day=due_day,
        created_by=user,
    )
    return _save(cycle, user)


@transaction.atomic
def evaluation_cycle_update(
    *,
    cycle: EvaluationCycle,
    user: User | None,
    name: str,
    framework_version: FrameworkVersion,
    due_month: int,
    due_day: int,
) -> EvaluationCycle:
    """Renames the cycle or changes its rules; the start year is fixed once the cycle exists."""
    _ensure_bureau(user)
    cycle = EvaluationCycle._base_manager.select_for_update().get(pk=cycle.pk)
    cycle.name = name.strip()
    cycle.framework_version = framework_version
    cycle.due_month = due_month
    cycle.due_day = due_day
    return _save(cycle, user)


@transaction.atomic
def cycle_assign_kindergartens(*, cycle: EvaluationCycle, user: User | None) -> int:
    """Puts every licensed kindergarten and community point not yet in the plan into one year.

    Kindergartens already in the plan keep their year (the bureau may have moved them). New
    ones go, sub-district by sub-district, to the year with the fewest kindergartens of their
    sub-district, ties broken by the district-wide count and then the earlier year — so each
    sub-district's load is spread evenly over the three years. Returns how many were added.
    """
    _ensure_bureau(user)
    cycle = EvaluationCycle._base_manager.select_for_update().get(pk=cycle.pk)
    years = cycle.years
    per_subdistrict: dict[int, dict[int, int]] = defaultdict(lambda: dict.fromkeys(years, 0))
    district = dict.fromkeys(years, 0)
    counts = (
        CycleAssignment._base_manager.filter(cycle=cycle)
        .values("kindergarten__subdistrict_id", "planned_year")
        .annotate(n=Count("id"))
    )
    for row in counts:
        per_subdistrict[row["kindergarten__subdistrict_id"]][row["planned_year"]] += row["n"]
        district[row["planned_year"]] += row["n"]

    unassigned = (
        Kindergarten.objects.operating()
        .exclude(Exists(CycleAssignment._base_manager.filter(cycle=cycle, kindergarten=OuterRef("pk"))))
        .order_by("subdistrict__code", "code")
        .values_list("pk", "subdistrict_id")
    )
    assignments = []
    for kindergarten_id, subdistrict_id in unassigned:
        load = per_subdistrict[subdistrict_id]
        year = min(years, key=lambda y: (load[y], district[y], y))
        load[year] += 1
        district[year] += 1
        assignment = CycleAssignment(
            cycle=cycle,
            kindergarten_id=kindergarten_id,
            planned_year=year,
            self_assessment_due=cycle.due_date_for(year),
        )
        # Cycle and kindergarten come from the database just now: skip the per-row FK queries.
        assignment.full_clean(exclude=["cycle", "kindergarten"], validate_unique=False)
        assignments.append(assignment)
    if assignments:
        bulk_create_with_history(assignments, CycleAssignment, default_user=user, batch_size=500)
    return len(assignments)


@transaction.atomic
def cycle_assignment_update(
    *,
    assignment: CycleAssignment,
    user: User | None,
    planned_year: int,
    self_assessment_due: datetime.date | None = None,
    note: str = "",
) -> CycleAssignment:
    """Moves a kindergarten to another year of the cycle; without a due date, the cycle's rule
    gives one for the new year. A self-assessment still in draft follows the new due date."""
    _ensure_bureau(user)
    assignment = CycleAssignment._base_manager.select_for_update().select_related("cycle").get(pk=assignment.pk)
    assignment.planned_year = planned_year
    assignment.self_assessment_due = self_assessment_due or assignment.cycle.due_date_for(planned_year)
    assignment.note = note.strip()
    _save(assignment, user)
    for draft in SelfAssessment._base_manager.filter(
        kindergarten_id=assignment.kindergarten_id, cycle_id=assignment.cycle_id, status=AssessmentStatus.DRAFT
    ):
        if draft.due_date != assignment.self_assessment_due:
            draft.due_date = assignment.self_assessment_due
            _save(draft, user)
    return assignment


# --- self-assessments ----------------------------------------------------------------------------


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


def point_key(point_id: int) -> str:
    """The error key of one point, shared by the form and the API."""
    return f"point_{point_id}"


@dataclass(frozen=True)
class RatingInput:
    level_id: int | None
    evidence_note: str = ""


def missing_points(assessment: SelfAssessment) -> list[AssessmentPoint]:
    rated = SelfAssessmentRating._base_manager.filter(assessment=assessment, point=OuterRef("pk"), level__isnull=False)
    return list(assessment.framework_version.points().exclude(Exists(rated)).select_related("key_indicator"))


def _assessment_for_filling(assessment: SelfAssessment, user: User | None) -> SelfAssessment:
    """The row, locked for this transaction, if `user` may fill it now; otherwise an exception."""
    assessment = SelfAssessment._base_manager.select_for_update().get(pk=assessment.pk)
    if not may_fill(user, assessment.kindergarten_id):
        raise PermissionDenied(_("只有本园园长可以填写本园的自评。"))
    if not assessment.is_draft:
        raise Locked(_("已提交的自评不能修改；退回后可在新版本中修改。"))
    return assessment


@transaction.atomic
def self_assessment_start(*, kindergarten: Kindergarten, cycle: EvaluationCycle, user: User | None) -> SelfAssessment:
    """The live self-assessment of the kindergarten in the cycle, created as version 1 if none."""
    if not may_fill(user, kindergarten.pk):
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
    return _save(assessment, user)


# --- per-point ratings (self-assessments and external evaluations) ------------------------------


@dataclass(frozen=True)
class RatingKind:
    """How one kind of record keeps a rating and a note per point: the rating model, the field
    naming its owner, the note's field (on the model and on the input alike) and the refusals."""

    model: type[models.Model]
    owner_field: str
    note_field: str
    note_max: int
    wrong_version: str
    note_too_long: str  # with %(max)d


SELF_RATINGS = RatingKind(
    model=SelfAssessmentRating,
    owner_field="assessment",
    note_field="evidence_note",
    note_max=1000,
    wrong_version=gettext_lazy("该考查要点不属于本次自评所用的评估手册版本。"),
    note_too_long=gettext_lazy("佐证说明不能超过 %(max)d 字。"),
)


class RatingBook:
    """The points and rating levels of one record's handbook version (two queries), to check
    given ratings against and write them."""

    def __init__(self, kind: RatingKind, owner: models.Model, version: FrameworkVersion) -> None:
        self.kind, self.owner = kind, owner
        self.points = {p.pk: p for p in version.points()}
        scales = {p.rating_scale_id for p in self.points.values()}
        self.levels = {level.pk: level for level in RatingLevel._base_manager.filter(scale_id__in=scales)}

    def errors(self, ratings: Mapping[int, object]) -> dict[str, list[str]]:
        """Refusals keyed by the point's form field: a point of another version, a level of
        another scale, a note too long."""
        errors: dict[str, list[str]] = {}
        for point_id, given in ratings.items():
            point = self.points.get(point_id)
            if point is None:
                errors.setdefault(point_key(point_id), []).append(str(self.kind.wrong_version))
                continue
            if given.level_id is not None:
                level = self.levels.get(given.level_id)
                if level is None or level.scale_id != point.rating_scale_id:
                    errors.setdefault(point_key(point_id), []).append(_("评分不在该考查要点的评分等级表中。"))
            if len(getattr(given, self.kind.note_field) or "") > self.kind.note_max:
                errors.setdefault(point_key(point_id), []).append(
                    str(self.kind.note_too_long) % {"max": self.kind.note_max}
                )
        return errors

    def write(self, ratings: Mapping[int, object], user: User | None) -> None:
        """Writes checked ratings: points not given are left alone, a point with neither level
        nor note has no row, an unchanged one is not written (no history row)."""
        kind = self.kind
        existing = {r.point_id: r for r in kind.model._base_manager.filter(**{kind.owner_field: self.owner})}
        for point_id, given in ratings.items():
            note = (getattr(given, kind.note_field) or "").strip()
            rating = existing.get(point_id)
            if given.level_id is None and not note:
                if rating is not None:
                    _with_user(rating, user).delete()
                continue
            if rating is None:
                rating = kind.model(**{kind.owner_field: self.owner, "point": self.points[point_id]})
            elif rating.level_id == given.level_id and getattr(rating, kind.note_field) == note:
                continue
            rating.level = self.levels.get(given.level_id) if given.level_id is not None else None
            setattr(rating, kind.note_field, note)
            # Point and level were checked against this version: skip the per-row FK queries.
            _save(
                rating,
                user,
                exclude=[kind.owner_field, "point", "level"],
                validate_unique=False,
                validate_constraints=False,
            )


@transaction.atomic
def self_assessment_save(
    *,
    assessment: SelfAssessment,
    user: User | None,
    ratings: Mapping[int, RatingInput],
    summary: str | None = None,
) -> SelfAssessment:
    """Saves the draft as it is, complete or not. `ratings` maps point ids to the inputs given;
    points not in it are left alone. A point with no rating and no note has no row."""
    assessment = _assessment_for_filling(assessment, user)
    book = RatingBook(SELF_RATINGS, assessment, assessment.framework_version)
    errors = book.errors(ratings)
    if errors:
        raise ValidationError(errors)
    book.write(ratings, user)
    if summary is not None and summary.strip() != assessment.summary:
        assessment.summary = summary.strip()
        _save(assessment, user)
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
    return _save(assessment, user)


def _assessment_for_review(assessment: SelfAssessment, user: User | None) -> SelfAssessment:
    _ensure_bureau(user)
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
    return _save(assessment, user)


@transaction.atomic
def self_assessment_accept(*, assessment: SelfAssessment, user: User | None, comment: str = "") -> SelfAssessment:
    assessment = _assessment_for_review(assessment, user)
    assessment.status = AssessmentStatus.ACCEPTED
    assessment.review_comment = comment.strip()
    assessment.reviewed_at = timezone.now()
    assessment.reviewed_by = user
    return _save(assessment, user)


@transaction.atomic
def self_assessment_revise(*, assessment: SelfAssessment, user: User | None) -> SelfAssessment:
    """Version n+1 of a returned self-assessment, a draft with the same ratings, notes and
    attachments; version n stays as it was returned. Calling it again returns the same draft."""
    assessment = SelfAssessment._base_manager.select_for_update().get(pk=assessment.pk)
    if not may_fill(user, assessment.kindergarten_id):
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
    _save(revision, user)
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
    return _store_attachment(SelfAssessmentAttachment(assessment=assessment, point=point), file, user)


@transaction.atomic
def self_assessment_attachment_delete(*, attachment: SelfAssessmentAttachment, user: User | None) -> None:
    _assessment_for_filling(attachment.assessment, user)
    _delete_attachment(attachment, user)


# --- loading the handbook's points from Excel ------------------------------------------------------


@dataclass(frozen=True)
class PointImportResult:
    created: int
    deleted: int


@transaction.atomic
def import_assessment_points(
    *, version: FrameworkVersion, file, user: User | None, replace: bool = False
) -> PointImportResult:
    """Loads points into a draft version from a handbook workbook, all rows or none.

    Every row is parsed and validated before anything is written; any error raises
    `ImportRejected` with all of them. With `replace`, the draft's existing points are removed
    first; otherwise the rows are added after them. Rows keep their file order within each
    key indicator.
    """
    _ensure_bureau(user)
    version = _draft_for_update(version)
    columns = point_columns(version)
    with opened_workbook(file) as workbook:
        sheet = get_sheet(workbook, SHEET_TITLE if SHEET_TITLE in workbook.sheetnames else None)
        sheet_rows = read_rows(sheet, columns)
    parsed, errors = parse_rows(sheet_rows, columns)

    points: list[AssessmentPoint] = []
    for row in parsed:
        values = row.values
        point = AssessmentPoint(
            key_indicator=values.get("key_indicator"),
            text=(values.get("text") or "").strip(),
            guidance=(values.get("guidance") or "").strip(),
            evidence_expected=(values.get("evidence_expected") or "").strip(),
            origin=values.get("origin") or PointOrigin.DISTRICT,
            source=(values.get("source") or "").strip(),
            rating_scale=values.get("rating_scale") or version.rating_scale,
        )
        try:
            point.full_clean(exclude=[*row.failed, "key_indicator", "rating_scale"])
        except ValidationError as error:
            errors += validation_errors(error, row.number, columns, skip=row.failed)
        points.append(point)
    if errors:
        raise ImportRejected(errors)

    existing = AssessmentPoint._base_manager.filter(key_indicator__area__framework_version=version)
    deleted = 0
    if replace:
        for point in existing:
            _with_user(point, user).delete()
            deleted += 1
        last: dict[int, int] = {}
    else:
        last = dict(existing.values("key_indicator_id").annotate(n=Max("order")).values_list("key_indicator_id", "n"))
    for point in points:
        order = last.get(point.key_indicator.pk, 0) + 1
        last[point.key_indicator.pk] = order
        point.order = order
    bulk_create_with_history(points, AssessmentPoint, default_user=user, default_change_reason=_("Excel 导入"))
    return PointImportResult(created=len(points), deleted=deleted)
