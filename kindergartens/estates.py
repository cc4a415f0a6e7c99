"""Residential-estate kindergartens (居住区配套园): the writes that move a stage or open and resolve
a gap, and the reads behind the board, its export, the API and the dashboard panel.

The registry's `estate_stage` and four `estate_*_gap` booleans are the *current* record; the
dated history is `EstateStageChange` and `EstateGap`. Only the services below write either, in
one transaction, so the two never disagree.

Rules
-----
- A stage only moves forward (规划 → 建设 → 移交 → 使用), on or after the date of the last move.
- At most one open gap per kind; a gap resolves on or after the day it began.
- A new estate kindergarten must be public (新建配套园应办成公办园): one whose sponsor type is private
  is flagged on the board, in the export and in the API (`is_private`).
- An entrusted-management agreement (委托管理协议) expiring within `AGREEMENT_WARNING_DAYS`
  (or already expired) is flagged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import Act, require
from common.spreadsheets import Column, DateColumn, IntegerColumn, Sheet, TextColumn

from .choices import ESTATE_GAP_FIELDS, PUBLIC_SPONSORS, EstateGapKind, EstateStage
from .models import EstateGap, EstateStageChange, Kindergarten

if TYPE_CHECKING:
    from accounts.models import User

AGREEMENT_WARNING_DAYS = 180
STAGE_ORDER = [stage.value for stage in EstateStage]


def _history_user(instance, user) -> None:
    instance._history_user = user if getattr(user, "pk", None) else None


def _locked_estate(kindergarten: Kindergarten) -> Kindergarten:
    locked = Kindergarten.objects.select_for_update().get(pk=kindergarten.pk)
    if not locked.is_estate_kindergarten:
        raise ValidationError(_("该园不是居住区配套园。"))
    return locked


# --- writes ----------------------------------------------------------------------------------


@transaction.atomic
def estate_stage_move(
    *, kindergarten: Kindergarten, stage: str, date: datetime.date, note: str = "", user: User
) -> EstateStageChange:
    """Records that the estate kindergarten entered `stage` on `date`; the registry follows."""
    require(user, Act.MANAGE, kindergarten)
    locked = _locked_estate(kindergarten)
    last = EstateStageChange.objects.filter(kindergarten=locked).order_by("-date", "-pk").first()
    if last is not None:
        if stage not in STAGE_ORDER or STAGE_ORDER.index(stage) <= STAGE_ORDER.index(last.stage):
            raise ValidationError({"stage": _("阶段只能向后推进（规划 → 建设 → 移交 → 使用）。")})
        if date < last.date:
            raise ValidationError({"date": _("进入日期不能早于上一阶段的日期（%(date)s）。") % {"date": last.date}})
    change = EstateStageChange(kindergarten=locked, stage=stage, date=date, note=note)
    change.full_clean()
    _history_user(change, user)
    change.save()
    locked.estate_stage = stage
    _history_user(locked, user)
    locked.save(update_fields=["estate_stage", "updated_at"])
    return change


@transaction.atomic
def estate_gap_open(
    *,
    kindergarten: Kindergarten,
    kind: str,
    since: datetime.date,
    owner: str,
    note: str = "",
    user: User,
) -> EstateGap:
    """Opens a 'not in place' period of `kind`, with the owner who must act; the boolean follows."""
    require(user, Act.MANAGE, kindergarten)
    locked = _locked_estate(kindergarten)
    if EstateGap.objects.filter(kindergarten=locked, kind=kind, resolved_on__isnull=True).exists():
        raise ValidationError({"kind": _("该类不到位问题尚未解决，不能重复登记。")})
    gap = EstateGap(kindergarten=locked, kind=kind, since=since, owner=owner, note=note)
    gap.full_clean(validate_constraints=False)  # checked above under the lock
    _history_user(gap, user)
    gap.save()
    _sync_flag(locked, kind, True, user)
    return gap


@transaction.atomic
def estate_gap_resolve(*, gap: EstateGap, resolved_on: datetime.date, note: str = "", user: User) -> EstateGap:
    """Closes an open gap on `resolved_on`; the registry's boolean for its kind turns off."""
    locked = EstateGap.objects.select_for_update().select_related("kindergarten").get(pk=gap.pk)
    require(user, Act.MANAGE, locked.kindergarten)
    if locked.resolved_on is not None:
        raise ValidationError({"resolved_on": _("该问题已于 %(date)s 解决。") % {"date": locked.resolved_on}})
    locked.resolved_on = resolved_on
    if note:
        locked.note = note
    locked.full_clean(validate_constraints=False)
    _history_user(locked, user)
    locked.save(update_fields=["resolved_on", "note"])
    _sync_flag(Kindergarten.objects.select_for_update().get(pk=locked.kindergarten_id), locked.kind, False, user)
    return locked


def _sync_flag(kindergarten: Kindergarten, kind: str, value: bool, user) -> None:
    field = ESTATE_GAP_FIELDS[EstateGapKind(kind)]
    if getattr(kindergarten, field) != value:
        setattr(kindergarten, field, value)
        _history_user(kindergarten, user)
        kindergarten.save(update_fields=[field, "updated_at"])


# --- reads -----------------------------------------------------------------------------------


def agreement_horizon(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=AGREEMENT_WARNING_DAYS)


def estate_board(user, today: datetime.date | None = None) -> QuerySet[Kindergarten]:
    """The estate kindergartens `user` may see, with their stage's start date (`stage_since`),
    their open gaps (`open_gaps`, oldest first) and the private flag (`is_private`): three queries
    at most, whatever the number of rows."""
    stage_since = (
        EstateStageChange.objects.filter(kindergarten=OuterRef("pk"), stage=OuterRef("estate_stage"))
        .order_by("-date")
        .values("date")[:1]
    )
    return (
        Kindergarten.objects.visible_to(user)
        .filter(is_estate_kindergarten=True)
        .select_related("subdistrict")
        .annotate(
            stage_since=Subquery(stage_since),
            is_private=Case(When(sponsor_type__in=PUBLIC_SPONSORS, then=Value(False)), default=Value(True)),
        )
        .prefetch_related(
            Prefetch(
                "estate_gap_records",
                queryset=EstateGap.objects.filter(resolved_on__isnull=True).order_by("since", "pk"),
                to_attr="open_gaps",
            )
        )
        .order_by("subdistrict__code", "code")
    )


def open_gap_exists(**lookups) -> Exists:
    return Exists(EstateGap.objects.filter(kindergarten=OuterRef("pk"), resolved_on__isnull=True, **lookups))


@dataclass(frozen=True)
class EstateRow:
    """One board row with what the page, the export and the API show beside the registry fields."""

    kindergarten: Kindergarten
    today: datetime.date

    @property
    def gaps(self) -> list[tuple[EstateGap, int]]:
        return [(gap, gap.days_lasted(self.today)) for gap in self.kindergarten.open_gaps]

    @property
    def longest_gap_days(self) -> int | None:
        days = [d for _gap, d in self.gaps]
        return max(days) if days else None

    @property
    def agreement_state(self) -> str:
        """ "expired", "expiring" (within the warning period), "valid", or "" without an agreement."""
        expiry = self.kindergarten.entrusted_management_expiry
        if expiry is None:
            return ""
        if expiry < self.today:
            return "expired"
        return "expiring" if expiry <= agreement_horizon(self.today) else "valid"

    @property
    def agreement_label(self) -> str:
        return {
            "expired": _("已到期"),
            "expiring": _("%(days)d 天内到期") % {"days": AGREEMENT_WARNING_DAYS},
            "valid": _("有效"),
        }.get(self.agreement_state, "")


def board_rows(kindergartens, today: datetime.date | None = None) -> list[EstateRow]:
    today = today or timezone.localdate()
    return [EstateRow(k, today) for k in kindergartens]


def longest_open_gaps(user, *, subdistrict=None, limit: int = 5, today: datetime.date | None = None):
    """The open gaps that have lasted longest, within `user`'s scope (the dashboard panel)."""
    today = today or timezone.localdate()
    gaps = EstateGap.objects.visible_to(user).filter(
        resolved_on__isnull=True, kindergarten__is_estate_kindergarten=True
    )
    if subdistrict is not None:
        gaps = gaps.filter(kindergarten__subdistrict=subdistrict)
    return [
        (gap, gap.days_lasted(today)) for gap in gaps.select_related("kindergarten").order_by("since", "pk")[:limit]
    ]


def estate_panel(user, subdistrict=None) -> dict:
    """The dashboard panel: estate kindergartens with an open gap, and the longest-lasting gaps."""
    estates = Kindergarten.objects.visible_to(user).filter(is_estate_kindergarten=True)
    if subdistrict is not None:
        estates = estates.filter(subdistrict=subdistrict)
    counts = estates.annotate(open_gap=open_gap_exists()).aggregate(
        total=Count("pk"),
        not_in_place=Count("pk", filter=Q(open_gap=True)),
        private=Count("pk", filter=~Q(sponsor_type__in=PUBLIC_SPONSORS)),
    )
    return {**counts, "longest": longest_open_gaps(user, subdistrict=subdistrict), "subdistrict": subdistrict}


# --- the export ------------------------------------------------------------------------------


def _gaps_text(row: EstateRow) -> str:
    return "；".join(
        _("%(kind)s：自 %(since)s 起 %(days)d 天，责任主体 %(owner)s")
        % {"kind": gap.get_kind_display(), "since": gap.since, "days": days, "owner": gap.get_owner_display()}
        for gap, days in row.gaps
    )


def export_sheets(kindergartens, today: datetime.date | None = None) -> list[Sheet]:
    rows = [
        {
            "code": k.code,
            "name": k.name,
            "subdistrict": k.subdistrict.name,
            "estate_name": k.estate_name,
            "sponsor_type": k.get_sponsor_type_display(),
            "private_flag": _("是") if k.is_private else _("否"),
            "stage": k.get_estate_stage_display(),
            "stage_since": k.stage_since,
            "gap_count": len(row.gaps),
            "longest_gap_days": row.longest_gap_days,
            "gaps": _gaps_text(row),
            "agreement_expiry": k.entrusted_management_expiry,
            "agreement_state": row.agreement_label,
        }
        for row in board_rows(kindergartens, today)
        for k in [row.kindergarten]
    ]
    columns: list[Column] = [
        TextColumn(header=_("幼儿园编码"), field="code"),
        TextColumn(header=_("幼儿园名称"), field="name", width=28),
        TextColumn(header=_("街道/地区"), field="subdistrict"),
        TextColumn(header=_("配套居住区名称"), field="estate_name", width=24),
        TextColumn(header=_("举办者类型"), field="sponsor_type"),
        TextColumn(header=_("民办配套园（应为公办）"), field="private_flag"),
        TextColumn(header=_("所处阶段"), field="stage"),
        DateColumn(header=_("进入本阶段日期"), field="stage_since"),
        IntegerColumn(header=_("未解决不到位项数"), field="gap_count"),
        IntegerColumn(header=_("最长持续天数"), field="longest_gap_days"),
        TextColumn(header=_("不到位情况"), field="gaps", width=60),
        DateColumn(header=_("委托管理协议到期日"), field="agreement_expiry"),
        TextColumn(header=_("协议状态"), field="agreement_state"),
    ]
    return [Sheet(title=_("居住区配套园"), columns=columns, rows=rows, dropdowns=False)]


def export_filename(today: datetime.date | None = None) -> tuple[str, str]:
    day = (today or timezone.localdate()).isoformat()
    return _("居住区配套园_%(day)s.xlsx") % {"day": day}, f"estate-kindergartens-{day}.xlsx"
