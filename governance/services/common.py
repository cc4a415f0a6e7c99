"""What the governance services share: validated saves with the user in the history, row locks,
state checks and the events of a workflow."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from common.saving import validated_save


def locked(instance: models.Model, *related: str) -> models.Model:
    """The row re-read under a lock, so two people cannot take the same step at once."""
    return type(instance)._default_manager.select_for_update().select_related(*related).get(pk=instance.pk)


def expect(instance: models.Model, *statuses: str) -> None:
    if instance.status not in statuses:
        raise ValidationError(_("当前状态为“%(status)s”，不能执行此操作。") % {"status": instance.get_status_display()})


def require_note(note: str, message) -> str:
    if not (note or "").strip():
        raise ValidationError({"note": message})
    return note.strip()


__all__ = ["expect", "locked", "require_note", "validated_save"]
