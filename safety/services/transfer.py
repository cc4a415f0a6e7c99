"""The bureau's workbook of safety profiles: every row validated, then all written or none."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.permissions import Act, require
from common.spreadsheets import (
    Column,
    ImportRejected,
    ParsedRow,
    RowError,
    get_sheet,
    opened_workbook,
    parse_rows,
    read_rows,
    validation_errors,
)
from kindergartens.models import Kindergarten

from ..models import SafetyProfile
from ..spreadsheets import CHANGE_REASON, PROFILE_FIELDS, PROFILE_SHEET, profile_columns

if TYPE_CHECKING:
    from accounts.models import User

KEY = "kindergarten"


@dataclasses.dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclasses.dataclass
class _Row:
    parsed: ParsedRow
    instance: SafetyProfile
    before: dict[str, Any] | None  # None for a new profile

    @property
    def number(self) -> int:
        return self.parsed.number


def _change_reason(file) -> str:
    name = str(getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    reason = f"{CHANGE_REASON}（{name}）" if name else CHANGE_REASON
    return reason[:100]  # simple_history's change-reason column


def _same(name: str, value: Any, stored: Any) -> bool:
    if name == "video_areas":  # the same areas in another order are no change
        return set(value or []) == set(stored or [])
    return value == stored


def _check_kindergartens(parsed: Sequence[ParsedRow], header: str) -> list[RowError]:
    """One row per kindergarten, and only kindergartens that operate (the ones the rules apply to)."""
    named = [r.values[KEY].pk for r in parsed if r.values.get(KEY) is not None]
    operating = set(Kindergarten.objects.operating().filter(pk__in=named).values_list("pk", flat=True))
    first_row_of: dict[int, int] = {}
    errors: list[RowError] = []
    for row in parsed:
        kindergarten = row.values.get(KEY)
        if KEY in row.failed or kindergarten is None:
            continue
        if kindergarten.pk in first_row_of:
            message = _("编码“%(code)s”与第 %(row)d 行重复。") % {
                "code": kindergarten.code,
                "row": first_row_of[kindergarten.pk],
            }
        elif kindergarten.pk not in operating:
            message = _("%(name)s的办园许可状态为“%(status)s”，不在办，不能导入安全工作档案。") % {
                "name": kindergarten.name,
                "status": kindergarten.get_licence_status_display(),
            }
        else:
            first_row_of[kindergarten.pk] = row.number
            continue
        errors.append(RowError(row.number, header, message))
        row.failed.add(KEY)
    return errors


def _validate(row: _Row, columns: Sequence[Column]) -> list[RowError]:
    """Each cell's field rules; the cross-column rules (`clean`) once every profile cell is readable,
    since a rule fed an unreadable value reports noise. The kindergarten was checked already."""
    failed = row.parsed.failed
    try:
        row.instance.clean_fields(exclude=[*failed, KEY])
        if not failed - {KEY}:
            row.instance.clean()
    except ValidationError as error:
        return validation_errors(error, row.number, columns, skip=failed)
    return []


@transaction.atomic
def import_safety_profiles(*, file, user: User | None = None) -> ImportResult:
    """Creates and updates the safety profiles of a workbook, all rows or none (bureau staff).

    Rows are matched by kindergarten code. Every row is parsed and validated before anything is
    written; any error raises `ImportRejected` with all of them (row, column, reason). Only
    profiles whose values differ are written, so importing the same file again writes nothing
    and adds no history. Each write is in the profile's history, attributed to `user` (a
    management command may import without one) with the file's name as the reason.
    """
    if user is not None:
        require(user, Act.MANAGE, message=_("只有区教委工作人员可以导入安全工作档案。"))
    columns = profile_columns()
    with opened_workbook(file) as workbook:
        sheet = get_sheet(workbook, PROFILE_SHEET if PROFILE_SHEET in workbook.sheetnames else None)
        sheet_rows = read_rows(sheet, columns)
    parsed, errors = parse_rows(sheet_rows, columns)
    errors += _check_kindergartens(parsed, columns[0].header)

    wanted = {r.values[KEY].pk for r in parsed if KEY not in r.failed}
    existing = {
        p.kindergarten_id: p for p in SafetyProfile.objects.select_for_update().filter(kindergarten_id__in=wanted)
    }
    rows: list[_Row] = []
    for parsed_row in parsed:
        kindergarten = None if KEY in parsed_row.failed else parsed_row.values[KEY]
        instance = existing.get(kindergarten.pk) if kindergarten else None
        before = {name: getattr(instance, name) for name in PROFILE_FIELDS} if instance else None
        if instance is None:
            # A rejected row builds a throw-away profile: validated for its other cells, never written.
            instance = SafetyProfile(kindergarten=kindergarten) if kindergarten else SafetyProfile()
        for name in PROFILE_FIELDS:
            if name not in parsed_row.failed:
                setattr(instance, name, parsed_row.values[name])
        rows.append(_Row(parsed_row, instance, before))
        errors += _validate(rows[-1], columns)
    if errors:
        order = {c.header: index for index, c in enumerate(columns)}
        raise ImportRejected(sorted(errors, key=lambda e: (e.row, order.get(e.column, -1))))

    created = [r.instance for r in rows if r.before is None]
    changed = []
    for row in rows:
        if row.before is None or all(_same(n, getattr(row.instance, n), row.before[n]) for n in PROFILE_FIELDS):
            continue
        if _same("video_areas", row.instance.video_areas, row.before["video_areas"]):
            row.instance.video_areas = row.before["video_areas"]
        changed.append(row.instance)
    history = {"default_user": user, "default_change_reason": _change_reason(file), "batch_size": 500}
    if created:
        bulk_create_with_history(created, SafetyProfile, **history)
    if changed:
        now = timezone.now()  # bulk_update skips auto_now
        for profile in changed:
            profile.updated_at = now
        bulk_update_with_history(changed, SafetyProfile, [*PROFILE_FIELDS, "updated_at"], **history)
    return ImportResult(created=len(created), updated=len(changed), unchanged=len(rows) - len(created) - len(changed))
