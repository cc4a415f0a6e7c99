"""Readable change history for any model tracked by django-simple-history.

Shown on every object's page: who changed what, when, from what to what. Diffs are computed
from the stored history rows in memory (one query for the rows, one per related model for
labels), so the page's query count does not grow with the number of changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CHANGE_TYPES = {"+": _("创建"), "~": _("修改"), "-": _("删除")}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    user: str
    kind: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def _tracked_fields(instance: models.Model) -> list[models.Field]:
    history_model = instance.history.model
    tracked = {f.name for f in history_model._meta.get_fields()}
    # Bookkeeping fields say nothing a reader needs: the entry's own time, the stored name verdict,
    # and a working copy (its entry's reason says what happened to it).
    skipped = {"id", "created_at", "updated_at", "name_compliant", "draft"}
    return [f for f in instance._meta.concrete_fields if f.name in tracked and f.name not in skipped]


def _display(f: models.Field, value, labels: dict) -> str:
    if value is None or value == "":
        return "—"
    if f.is_relation:
        return labels.get((f.related_model, value), str(value))
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(str(v.get("word", v)) if isinstance(v, dict) else str(v) for v in value) or "—"
    return str(value)


def history_entries(instance: models.Model, limit: int = 100) -> list[HistoryEntry]:
    """The latest `limit` changes of one object, newest first, each with its field changes."""
    fields = _tracked_fields(instance)
    rows = list(instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    # Labels for foreign keys, one query per related model.
    labels: dict = {}
    for f in fields:
        if f.is_relation:
            ids = {getattr(r, f.attname) for r in rows} - {None}
            if ids:
                for obj in f.related_model._default_manager.filter(pk__in=ids):
                    labels[(f.related_model, obj.pk)] = str(obj)
    entries = []
    # Each row paired with the one before it; the oldest with None. (No rows, e.g. objects seeded
    # by a data migration, must give no entries, not a length mismatch.)
    for newer, older in zip(rows, [*rows[1:], None][: len(rows)], strict=True):
        if len(entries) == limit:
            break
        changes = []
        for f in fields:
            new = getattr(newer, f.attname)
            old = getattr(older, f.attname) if older is not None else None
            if (older is None and newer.history_type == "+") or new != old:
                if older is None and new in (None, "", False, [], 0):
                    continue  # a new object's empty fields are noise
                changes.append(FieldChange(str(f.verbose_name), _display(f, old, labels), _display(f, new, labels)))
        entries.append(
            HistoryEntry(
                when=newer.history_date,
                user=str(newer.history_user) if newer.history_user else str(_("系统")),
                kind=str(CHANGE_TYPES.get(newer.history_type, newer.history_type)),
                reason=newer.history_change_reason or "",
                changes=changes,
            )
        )
    return entries
