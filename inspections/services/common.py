"""Helpers every quality-evaluation service uses: refusing who the permission layer refuses
(`ensure_may`), whose name the history records, stored attachments, and the `RatingBook` that
checks and writes per-point ratings (self-assessments and external evaluations alike)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.permissions import Act, may
from common.files import check_upload

from ..models import AssessmentPoint, AttachmentBase, FrameworkVersion, PointRating, RatingLevel

BUREAU_ONLY = gettext_lazy("只有区教委工作人员可以执行此操作。")


def ensure_may(user: User | None, action: Act, kindergarten=None, *, refusal: str = BUREAU_ONLY) -> None:
    """Raises `PermissionDenied(refusal)` unless the permission layer lets `user` take `action`
    (on `kindergarten`, a Kindergarten or its key, when given)."""
    if not may(user, action, kindergarten):
        raise PermissionDenied(str(refusal))


def with_user(instance: models.Model, user: User | None) -> models.Model:
    instance._history_user = user  # read by django-simple-history instead of the request's user
    return instance


def validated_save(instance: models.Model, user: User | None, **clean_kwargs) -> models.Model:
    instance.full_clean(**clean_kwargs)
    with_user(instance, user).save()
    return instance


def store_attachment(attachment: AttachmentBase, file: UploadedFile, user: User | None, **clean_kwargs):
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
        validated_save(attachment, user, **clean_kwargs)
    except Exception:
        attachment.file.storage.delete(stored_name)
        raise
    return attachment


def delete_attachment(attachment: AttachmentBase, user: User | None) -> None:
    """Deletes the row now and its file once the transaction commits, unless another row uses it."""
    model = type(attachment)
    attachment = model._base_manager.get(pk=attachment.pk)
    name = attachment.file.name
    storage = attachment.file.storage
    with_user(attachment, user).delete()

    def remove_unused_file() -> None:
        if not model._base_manager.filter(file=name).exists():
            storage.delete(name)

    transaction.on_commit(remove_unused_file)


def point_key(point_id: int) -> str:
    """The error key of one point, shared by the form and the API."""
    return f"point_{point_id}"


# --- per-point ratings (self-assessments and external evaluations) ------------------------------


def unrated_points(kind: type[PointRating], owner: models.Model) -> list[AssessmentPoint]:
    """The points of the record's handbook version that have no rating yet, in framework order."""
    rated = kind._base_manager.filter(**{kind.owner_field: owner}, point=OuterRef("pk"), level__isnull=False)
    return list(owner.framework_version.points().exclude(Exists(rated)).select_related("key_indicator"))


class RatingBook:
    """The points and rating levels of one record's handbook version (two queries), to check
    given ratings against and write them. `kind` is the rating model (a `PointRating`), whose
    declarations say how it names its owner and its note, and how it words its refusals."""

    def __init__(self, kind: type[PointRating], owner: models.Model, version: FrameworkVersion) -> None:
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
            if len(getattr(given, self.kind.note_field) or "") > self.kind.note_max():
                errors.setdefault(point_key(point_id), []).append(
                    str(self.kind.note_too_long) % {"max": self.kind.note_max()}
                )
        return errors

    def write(self, ratings: Mapping[int, object], user: User | None) -> None:
        """Writes checked ratings: points not given are left alone, a point with neither level
        nor note has no row, an unchanged one is not written (no history row)."""
        kind = self.kind
        existing = {r.point_id: r for r in kind._base_manager.filter(**{kind.owner_field: self.owner})}
        for point_id, given in ratings.items():
            note = (getattr(given, kind.note_field) or "").strip()
            rating = existing.get(point_id)
            if given.level_id is None and not note:
                if rating is not None:
                    with_user(rating, user).delete()
                continue
            if rating is None:
                rating = kind(**{kind.owner_field: self.owner, "point": self.points[point_id]})
            elif rating.level_id == given.level_id and getattr(rating, kind.note_field) == note:
                continue
            rating.level = self.levels.get(given.level_id) if given.level_id is not None else None
            setattr(rating, kind.note_field, note)
            # Point and level were checked against this version: skip the per-row FK queries.
            validated_save(
                rating,
                user,
                exclude=[kind.owner_field, "point", "level"],
                validate_unique=False,
                validate_constraints=False,
            )
