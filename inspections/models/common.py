"""What the sub-domains' models share: the `Locked` refusal, the demo marker, the attachment base
and the per-point rating base."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.files import upload_to

DEMO_PREFIX = "【演示】"


class Locked(PermissionDenied):
    """The record is frozen: a published framework version or a submitted self-assessment."""


def attachment_upload_to(instance: AttachmentBase, filename: str) -> str:
    """Kept under this name because migrations refer to it; the rule is `common.files.upload_to`."""
    return upload_to(instance, filename)


class AttachmentBase(models.Model):
    """A file kept under MEDIA_ROOT (outside the web root), checked on upload by `common.files.check_upload`
    and served only through a view that checks the owning record's scope."""

    file = models.FileField(_("文件"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    # Where a model's files go, declared by each attachment model: `folder`/<value at `folder_key`>,
    # e.g. "inspections/issues" and "issue.kindergarten_id" (files are kept per kindergarten).
    folder: str
    folder_key: str

    def upload_folder(self) -> str:
        value = self
        for name in self.folder_key.split("."):
            value = getattr(value, name)
        return f"{self.folder}/{value}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class PointRating(models.Model):
    """Base of the two per-point ratings: a self-assessment's (the director's) and an external
    evaluation's (the evaluators'). Both rate one point of their record's handbook version on
    that point's scale, with a note; a subclass declares its owner and `point` foreign keys,
    its note field, and the wording that differs. `services.common.RatingBook` reads the same
    declarations to check and write a whole record's ratings."""

    owner_field: ClassVar[str]  # the foreign key to the record rated ("assessment", "evaluation")
    note_field: ClassVar[str]  # the note beside the rating, on the model and on its input alike
    wrong_version: ClassVar[str]  # a point of another handbook version was given
    note_too_long: ClassVar[str]  # with %(max)d

    level = models.ForeignKey(
        "inspections.RatingLevel",
        verbose_name=_("评分"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.point} · {self.level or '—'}"

    @classmethod
    def note_max(cls) -> int:
        return cls._meta.get_field(cls.note_field).max_length

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if getattr(self, f"{self.owner_field}_id") and self.point_id:
            owner = getattr(self, self.owner_field)
            if self.point.key_indicator.area.framework_version_id != owner.framework_version_id:
                errors.setdefault("point", []).append(self.wrong_version)
            if self.level_id and self.level.scale_id != self.point.rating_scale_id:
                errors.setdefault("level", []).append(_("评分不在该考查要点的评分等级表中。"))
        if errors:
            raise ValidationError(errors)
