"""What the governance models share: policy values as versioned data (valid_from … valid_to)."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import DistrictWideQuerySet


class VersionedQuerySet(DistrictWideQuerySet):
    def in_force(self, day: datetime.date) -> VersionedQuerySet:
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def for_day(self, day: datetime.date, **key):
        """The version in force on `day` (for this key, e.g. a cap's kind, grade and item)."""
        return self.in_force(day).filter(**key).order_by("-valid_from").first()


class Versioned(models.Model):
    """A policy value the bureau changes: a change is a new version, never an edit of code.

    Versions with the same `version_key` fields may not overlap; `uncertain` marks working values
    the bureau has not confirmed (domain.md marks them so).
    """

    version_key: ClassVar[tuple[str, ...]] = ()

    source = models.CharField(_("依据文件"), max_length=200)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    uncertain = models.BooleanField(_("待确认"), default=False, help_text=_("工作值，尚待区教委确认"))

    objects = VersionedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-valid_from"]

    def clean(self) -> None:
        super().clean()
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("失效日期不能早于生效日期。")})
        if self.valid_from is None:
            return
        key = {name: getattr(self, name) for name in self.version_key}
        overlapping = (
            type(self)
            ._default_manager.exclude(pk=self.pk)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from), **key)
        )
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        if overlapping.exists():
            raise ValidationError({"valid_from": _("与已有版本的有效期重叠。")})

    def period_label(self) -> str:
        end = f"{self.valid_to:%Y-%m-%d}" if self.valid_to else "—"
        return f"{self.valid_from:%Y-%m-%d} ~ {end}"
