"""Writes to the handbook: versions (copy, update, publish, delete), points and their Excel import.

Only bureau staff maintain the handbook; a published version is never edited in place (the
models refuse it): it is copied into a draft, and the draft is published as the next version.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.permissions import Act
from common.spreadsheets import (
    ImportRejected,
    get_sheet,
    opened_workbook,
    parse_rows,
    read_rows,
    validation_errors,
)

from ..choices import FrameworkStatus, PointOrigin
from ..models import Area, AssessmentPoint, FrameworkVersion, KeyIndicator, Locked, RatingScale
from ..spreadsheets import SHEET_TITLE, point_columns
from .common import ensure_may, validated_save, with_user

# --- the handbook ------------------------------------------------------------------------------


def _next_version_number() -> int:
    return (FrameworkVersion._base_manager.aggregate(n=Max("version"))["n"] or 0) + 1


@transaction.atomic
def framework_version_copy(
    *, source: FrameworkVersion, user: User | None, name: str = "", is_demo: bool | None = None
) -> FrameworkVersion:
    """A new draft with the source's areas, key indicators and points, to be edited and published.

    `is_demo` marks a demo handbook (default: as the source)."""
    ensure_may(user, Act.MANAGE)
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
    validated_save(draft, user)
    for area in source.structure():
        new_area = validated_save(Area(framework_version=draft, order=area.order, name=area.name), user)
        for indicator in area.indicator_list:
            new_indicator = validated_save(
                KeyIndicator(area=new_area, order=indicator.order, name=indicator.name), user
            )
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
    ensure_may(user, Act.MANAGE)
    version = _draft_for_update(version)
    version.name = name.strip()
    version.source = source.strip()
    version.description = description.strip()
    if rating_scale is not None:
        version.rating_scale = rating_scale
    return validated_save(version, user)


@transaction.atomic
def framework_version_publish(*, version: FrameworkVersion, user: User | None) -> FrameworkVersion:
    """Freezes the draft as a new published version; from now on it only changes by copying."""
    ensure_may(user, Act.MANAGE)
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
    return validated_save(version, user)


@transaction.atomic
def framework_version_delete(*, version: FrameworkVersion, user: User | None) -> None:
    ensure_may(user, Act.MANAGE)
    version = _draft_for_update(version)
    with_user(version, user).delete()


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
    ensure_may(user, Act.MANAGE)
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
    return validated_save(point, user)


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
    ensure_may(user, Act.MANAGE)
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
    return validated_save(point, user)


@transaction.atomic
def assessment_point_delete(*, point: AssessmentPoint, user: User | None) -> None:
    ensure_may(user, Act.MANAGE)
    point = _point_in_draft(point)
    with_user(point, user).delete()


@transaction.atomic
def assessment_point_move(*, point: AssessmentPoint, user: User | None, offset: int) -> AssessmentPoint:
    """Moves a point up (offset -1) or down (+1) within its key indicator; orders become 1…n."""
    ensure_may(user, Act.MANAGE)
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
            with_user(sibling, user).save(update_fields=["order"])
    return siblings[target]


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
    ensure_may(user, Act.MANAGE)
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
            with_user(point, user).delete()
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
