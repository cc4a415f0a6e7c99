"""The xlsx export of credit records (written by `common.spreadsheets`: cells that look like
formulas are written as text)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from common.spreadsheets import Sheet
from common.spreadsheets.columns import IntegerColumn, TextColumn


def credit_record_sheet(records) -> Sheet:
    """One row per record: the three subjects' scores and levels, the active events counted."""
    columns = [
        TextColumn(header=_("幼儿园编码"), field="code"),
        TextColumn(header=_("幼儿园名称"), field="name", width=30),
        TextColumn(header=_("街道/地区"), field="subdistrict"),
        TextColumn(header=_("举办者"), field="sponsor", width=24),
        TextColumn(header=_("园长"), field="principal"),
        IntegerColumn(header=_("幼儿园信用分"), field="score"),
        TextColumn(header=_("幼儿园信用等级"), field="level"),
        IntegerColumn(header=_("举办者信用分"), field="sponsor_score"),
        TextColumn(header=_("举办者信用等级"), field="sponsor_level"),
        IntegerColumn(header=_("园长信用分"), field="principal_score"),
        TextColumn(header=_("园长信用等级"), field="principal_level"),
        IntegerColumn(header=_("有效事件数"), field="events"),
        TextColumn(header=_("评价日期"), field="computed_on"),
    ]
    rows = [
        {
            "code": r.kindergarten.code,
            "name": r.kindergarten.name,
            "subdistrict": r.kindergarten.subdistrict.name,
            "sponsor": r.sponsor_name,
            "principal": r.principal_name,
            "score": r.score,
            "level": r.level,
            "sponsor_score": r.sponsor_score,
            "sponsor_level": r.sponsor_level,
            "principal_score": r.principal_score,
            "principal_level": r.principal_level,
            "events": r.active_events,
            "computed_on": f"{r.computed_on:%Y-%m-%d}" if r.computed_on else "",
        }
        for r in records
    ]
    return Sheet(title=_("信用档案"), columns=columns, rows=rows, dropdowns=False)
