"""Writes on the kindergarten registry that span many rows and need one transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.permissions import Act, may
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

from .choices import PUBLIC_SPONSORS
from .models import Kindergarten
from .naming import Rules, apply_check, core_name
from .spreadsheets import CHANGE_REASON, SHEET_TITLE, foreign_key_column, kindergarten_columns

if TYPE_CHECKING:
    from accounts.models import User

# Fields the import sets without reading them from the file, compared like the others so that
# a rule change shows up as a change, and an unchanged file as none.
COMPUTED_FIELDS = ("name_compliant", "name_violations")
# Already resolved by the import itself: full_clean would look each one up again, row by row.
RESOLVED_FIELDS = ("subdistrict", "branch_of")
_UNSAVED = object()


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
    instance: Kindergarten
    before: dict[str, Any] | None  # None for a new kindergarten
    branch_key: str | None = None

    @property
    def number(self) -> int:
        return self.parsed.number


def _comparable(instance: Kindergarten, name: str, *, stored: bool = False) -> Any:
    model_field = instance._meta.get_field(name)
    if not model_field.is_relation:
        return getattr(instance, name)
    if stored:
        return getattr(instance, model_field.attname)
    related = getattr(instance, name)
    if related is None:
        return None
    return _UNSAVED if related.pk is None else related.pk


def _change_reason(file) -> str:
    name = str(getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    reason = f"{CHANGE_REASON}（{name}）" if name else CHANGE_REASON
    return reason[:100]  # simple_history's change-reason column


def _rules_for(rows: Sequence[_Row]) -> Rules:
    """The naming rules, with the public names as they will be once the file is in.

    Stored public names of kindergartens in the file are replaced by the file's, so a private
    kindergarten is checked against public ones created in the same file, and one that was
    public and turns private is not flagged for copying its own name.
    """
    rules = Rules.load()
    codes = [row.instance.code for row in rows]
    stored = Kindergarten.objects.filter(sponsor_type__in=PUBLIC_SPONSORS).exclude(code__in=codes)
    names = [*stored.values_list("name", flat=True), *(r.instance.name for r in rows if r.instance.is_public)]
    return dataclasses.replace(rules, public_cores=frozenset(c for c in map(core_name, names) if len(c) >= 2))


def _resolve_branches(rows: Sequence[_Row]) -> list[RowError]:
    """Points each branch (分园) at its main kindergarten, which may be a row of the same file."""
    column = foreign_key_column("branch_of")
    header = column.header
    in_file = {row.instance.code: row for row in rows if "code" not in row.parsed.failed}
    stored = column.lookup({r.branch_key for r in rows if r.branch_key and r.branch_key not in in_file})
    errors: list[RowError] = []
    for row in rows:
        key = row.branch_key
        if key is None:
            row.instance.branch_of = None
            continue
        if key == row.instance.code:
            errors.append(RowError(row.number, header, _("幼儿园不能是自己的分园。")))
        elif key in in_file:
            main = in_file[key]
            if main.branch_key is not None:
                errors.append(
                    RowError(row.number, header, _("总园“%(code)s”本身是分园，不能再有分园。") % {"code": key})
                )
            else:
                row.instance.branch_of = main.instance
                continue
        elif key in stored:
            # Model.clean checks that a stored main kindergarten is not itself a branch.
            row.instance.branch_of = stored[key]
            continue
        else:
            errors.append(RowError(row.number, header, column.not_found(key)))
        row.parsed.failed.add("branch_of")

    # A kindergarten that has branches outside the file cannot become a branch itself.
    becoming_branches = {r.instance.code: r for r in rows if r.branch_key is not None}
    if becoming_branches:
        kept = (
            Kindergarten.objects.filter(branch_of__code__in=becoming_branches)
            .exclude(code__in=in_file)
            .values_list("branch_of__code", "code")
        )
        for main_code, branch_code in kept:
            row = becoming_branches[main_code]
            errors.append(
                RowError(row.number, header, _("该园已有分园“%(code)s”，不能再设为分园。") % {"code": branch_code})
            )
            row.parsed.failed.add("branch_of")
    return errors


def _validate(row: _Row, columns: Sequence[Column]) -> list[RowError]:
    """`full_clean` in its steps: the model's cross-column rules (`clean`) run only once every
    cell of the row is valid, since a rule fed an invalid or stale value reports noise. Codes
    were matched against the database already, so uniqueness needs no query per row."""
    failed = row.parsed.failed
    exclude = [*failed, *RESOLVED_FIELDS]
    try:
        row.instance.clean_fields(exclude=exclude)
        if not failed:
            row.instance.clean()
            row.instance.validate_constraints(exclude=exclude)
    except ValidationError as error:
        return validation_errors(error, row.number, columns, skip=failed)
    return []


@transaction.atomic
def import_kindergartens(*, file, user: User | None = None) -> ImportResult:
    """Creates and updates kindergartens from a registry workbook, all rows or none.

    Rows are matched by code. Every row is parsed and validated (`full_clean`) before anything
    is written (`full_clean`, see `_validate`); any error raises `ImportRejected` with all of them. Only rows whose values
    differ are written, so importing the same file again writes nothing and adds no history.
    Every write is recorded in the kindergarten's history, attributed to `user`.
    """
    if user is not None and not may(user, Act.MANAGE):
        raise PermissionDenied(_("只有区教委工作人员可以导入幼儿园名录。"))
    columns = kindergarten_columns()
    with opened_workbook(file) as workbook:
        sheet = get_sheet(workbook, SHEET_TITLE if SHEET_TITLE in workbook.sheetnames else None)
        sheet_rows = read_rows(sheet, columns)
    parsed, errors = parse_rows(sheet_rows, columns, defer=["branch_of"])

    code_header = next(c.header for c in columns if c.field == "code")
    first_row_of: dict[str, int] = {}
    for row in parsed:
        code = row.values.get("code")
        if "code" in row.failed or not code:
            continue
        if code in first_row_of:
            errors.append(
                RowError(
                    row.number,
                    code_header,
                    _("编码“%(code)s”与第 %(row)d 行重复。") % {"code": code, "row": first_row_of[code]},
                )
            )
            row.failed.add("code")
        else:
            first_row_of[code] = row.number

    existing = {k.code: k for k in Kindergarten.objects.select_for_update().filter(code__in=first_row_of)}
    compared = [c.field for c in columns if not c.read_only] + list(COMPUTED_FIELDS)
    rows: list[_Row] = []
    for parsed_row in parsed:
        code = parsed_row.values.get("code")
        instance = existing.get(code) if code and "code" not in parsed_row.failed else None
        # A repeated code builds a throw-away instance: it is reported and never written.
        before = None
        if instance is not None and first_row_of.get(code) == parsed_row.number:
            before = {name: _comparable(instance, name, stored=True) for name in compared}
        else:
            instance = Kindergarten()
        for name, value in parsed_row.values.items():
            if name not in parsed_row.failed and name != "branch_of":
                setattr(instance, name, value)
        branch_key = None if "branch_of" in parsed_row.failed else parsed_row.values.get("branch_of")
        rows.append(_Row(parsed_row, instance, before, branch_key))

    errors += _resolve_branches(rows)
    rules = _rules_for(rows)
    for row in rows:
        apply_check(row.instance, rules)
        errors += _validate(row, columns)
    if errors:
        order = {c.header: index for index, c in enumerate(columns)}
        raise ImportRejected(sorted(errors, key=lambda e: (e.row, order.get(e.column, -1))))

    created = [r.instance for r in rows if r.before is None]
    changed = [
        r.instance
        for r in rows
        if r.before is not None and any(_comparable(r.instance, n) != r.before[n] for n in compared)
    ]
    reason = _change_reason(file)
    history = {"default_user": user, "default_change_reason": reason, "batch_size": 500}
    # Main kindergartens first: a branch row needs its main row's primary key.
    mains = [k for k in created if k.branch_of is None or k.branch_of.pk is not None]
    branches = [k for k in created if k.branch_of is not None and k.branch_of.pk is None]
    for batch in (mains, branches):
        if batch:
            bulk_create_with_history(batch, Kindergarten, **history)
    if changed:
        now = timezone.now()  # bulk_update skips auto_now
        for kindergarten in changed:
            kindergarten.updated_at = now
        bulk_update_with_history(changed, Kindergarten, [*compared, "updated_at"], **history)
    return ImportResult(created=len(created), updated=len(changed), unchanged=len(rows) - len(created) - len(changed))
