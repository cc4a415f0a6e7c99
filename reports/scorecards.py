"""The sub-district scorecard (街道考核, plan 四): scoring, computing a year's cards, publishing.

The scorecard reads only `IndicatorSnapshot` rows, by indicator code; it knows no domain app.

The method (`ScorecardMethod`, versioned data) lists items: an indicator code, a weight, whether
a higher or lower value is better, and a rule turning the value into a share of the weight:

- ``ratio_to_target`` (higher is better): share = min(value ÷ target, 1). The target is the
  item's ``target`` when the method sets one, else the Chaoyang target stored on the snapshot.
- ``count_to_cap`` (lower is better): share = 1 when value ≤ target (default 0), else
  max(0, 1 − value ÷ cap).

Points = weight × share, rounded to 0.01; points lost = weight − points. An item whose indicator
has no snapshot value (no row, no denominator, no target for a ratio) is "no data": it neither
earns nor loses points, and the score is taken over the items with data:
score = 100 × Σ points ÷ Σ weights of those items (none when no item has data).

A year's cards are computed from the snapshots of its statistical date: the latest date with
sub-district snapshots in the school year (1 September Y – 31 August Y+1). Ranks are competition
ranks (equal scores share a rank, the next rank skips: 1, 2, 2, 4). A year whose cards are
published is never recomputed; `compute_scorecards` rewrites only draft years.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import Act, require
from accounts.scoping import SYSTEM, SystemScope
from common.gc import gc_paused
from common.spreadsheets import DecimalColumn, IntegerColumn, Sheet, TextColumn

from . import registry
from .choices import ScopeType, ScorecardStatus, ScoreDirection, ScoreRule
from .models import IndicatorSnapshot, Scorecard, ScorecardMethod
from .row_writer import BATCH_SIZE, copy_rows, uses_copy
from .templatetags.report_format import shown

if TYPE_CHECKING:
    from accounts.models import User

    from .indicators import IndicatorValue

CENT = Decimal("0.01")
RULE_DIRECTION = {ScoreRule.RATIO_TO_TARGET: ScoreDirection.HIGHER, ScoreRule.COUNT_TO_CAP: ScoreDirection.LOWER}


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def item_errors(items: Any) -> list[str]:
    """What is wrong with a method's items, in words for the admin form; empty when they are valid."""
    if not isinstance(items, list) or not items:
        return [_("评分项目应为非空列表。")]
    errors: list[str] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append(_("第 %(n)d 项应为对象。") % {"n": number})
            continue
        code = item.get("indicator")
        weight = _decimal(item.get("weight"))
        rule = item.get("rule")
        if not code or code in seen:
            errors.append(_("第 %(n)d 项：指标代码缺失或重复。") % {"n": number})
        seen.add(code)
        if weight is None or weight <= 0:
            errors.append(_("第 %(n)d 项：权重应为正数。") % {"n": number})
        if rule not in ScoreRule.values:
            errors.append(_("第 %(n)d 项：评分规则无效。") % {"n": number})
            continue
        if item.get("direction") != RULE_DIRECTION[ScoreRule(rule)]:
            errors.append(_("第 %(n)d 项：方向与评分规则不符。") % {"n": number})
        target = _decimal(item.get("target"))
        if "target" in item and (target is None or target < 0 or (rule == ScoreRule.RATIO_TO_TARGET and target == 0)):
            errors.append(_("第 %(n)d 项：目标值无效。") % {"n": number})
        if rule == ScoreRule.COUNT_TO_CAP:
            cap = _decimal(item.get("cap"))
            if cap is None or cap <= (target or 0):
                errors.append(_("第 %(n)d 项：上限应大于目标值。") % {"n": number})
    return errors


@dataclass(frozen=True)
class ItemScore:
    """One item of a card as stored (`Scorecard.items`) and shown."""

    indicator: str
    weight: str
    rule: str
    direction: str
    value: str | None
    target: str | None
    cap: str | None
    points: str | None  # None: no data
    lost: str | None

    @property
    def no_data(self) -> bool:
        return self.points is None


ITEM_FIELDS = tuple(f.name for f in fields(ItemScore))


def share(rule: str, value: Decimal, target: Decimal | None, cap: Decimal | None) -> Decimal | None:
    """The share of the weight an item earns (0…1), or None when the rule cannot be applied."""
    if rule == ScoreRule.RATIO_TO_TARGET:
        if target is None or target <= 0:
            return None
        return min(value / target, Decimal(1))
    limit = target if target is not None else Decimal(0)
    if value <= limit:
        return Decimal(1)
    return max(Decimal(0), 1 - value / cap)


def score_item(item: dict, snapshot: dict | None) -> ItemScore:
    """`item` of the method against the sub-district's snapshot of its indicator (value, target)."""
    weight = _decimal(item["weight"])
    value = _decimal(snapshot["value"]) if snapshot else None
    target = _decimal(item["target"]) if "target" in item else (_decimal(snapshot["target"]) if snapshot else None)
    cap = _decimal(item.get("cap"))
    earned = share(item["rule"], value, target, cap) if value is not None else None
    points = None if earned is None else (weight * earned).quantize(CENT, ROUND_HALF_UP)
    return ItemScore(
        indicator=item["indicator"],
        weight=str(weight),
        rule=item["rule"],
        direction=item["direction"],
        value=None if value is None else str(value),
        target=None if target is None else str(target),
        cap=None if cap is None else str(cap),
        points=None if points is None else str(points),
        lost=None if points is None else str(weight - points),
    )


def total_score(scored: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """100 × Σ points ÷ Σ weights of the items with data, given as (weight, points) pairs."""
    weights = points = Decimal(0)
    for weight, earned in scored:
        weights += weight
        points += earned
    if not weights:
        return None
    return (100 * points / weights).quantize(CENT, ROUND_HALF_UP)


def competition_ranks(scores: dict[Any, Decimal | None]) -> dict[Any, int | None]:
    """Ranks by score, highest first; equal scores share a rank and the next one skips (1, 2, 2, 4)."""
    ordered = sorted((s for s in scores.values() if s is not None), reverse=True)
    first_place = {}
    for place, score in enumerate(ordered, start=1):
        first_place.setdefault(score, place)
    return {key: (None if score is None else first_place[score]) for key, score in scores.items()}


# --- the year -------------------------------------------------------------------------------


def school_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)


def statistical_date(year: int) -> datetime.date | None:
    """The latest date of the school year with sub-district snapshots."""
    start, end = year_bounds(year)
    return (
        IndicatorSnapshot.objects.filter(scope_type=ScopeType.SUBDISTRICT, date__range=(start, end))
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )


def method_for(day: datetime.date) -> ScorecardMethod | None:
    return ScorecardMethod.objects.in_force(day).order_by("-valid_from").first()


# --- writes ---------------------------------------------------------------------------------


# A figure as its snapshot stores it: the value and target cut to their columns' decimals (a
# count's value 3 is read back as 3.000000), so cards scored from the computed values and from the
# stored snapshots are the same to the digit.
_STORED_PLACES = {
    name: Decimal(1).scaleb(-IndicatorSnapshot._meta.get_field(name).decimal_places) for name in ("value", "target")
}
Scored = tuple[dict, str, tuple[Decimal, Decimal] | None]  # an item as stored, its JSON, (weight, points)


class CardScorer:
    """A year's cards under `method`, scored one sub-district at a time from its figures
    (indicator code → (value, target), as its snapshots of the statistical date store them).

    `compute_scorecards` feeds it the stored snapshots. The nightly job instead hands it the values
    it is writing (`tap`): the items are scored while PostgreSQL inserts the snapshots, which is the
    slower of the two (docs/benchmarks.md), instead of after them.
    """

    def __init__(self, method: ScorecardMethod, day: datetime.date | None = None) -> None:
        self.method = method
        self.day = day  # the date whose values `tap` reads
        self.codes = frozenset(item["indicator"] for item in method.items)
        self.cards: list[tuple[int, Decimal | None, list[Scored]]] = []
        # 40,000 sub-districts nationally: an item's score depends only on its (value, target),
        # which many sub-districts share, so each distinct pair is scored (and turned into its dict
        # and its JSON) once. Keyed by the Decimals as stored: each has its column's scale, so
        # equal ones have the same digits (0.5 is always 0.500000) and the stored text is the same.
        self._scored: dict[tuple, Scored] = {}

    @classmethod
    def for_day(cls, day: datetime.date) -> CardScorer | None:
        """A scorer for the values of `day`, which make its year's cards if it is the year's
        statistical date when they are written (`compute_scorecards` checks); none without a method."""
        method = method_for(day)
        return None if method is None else cls(method, day)

    def add(self, subdistrict_id: int, figures: dict[str, tuple]) -> None:
        scores = [self._item(n, item, figures.get(item["indicator"])) for n, item in enumerate(self.method.items)]
        self.cards.append((subdistrict_id, total_score(counted for *_, counted in scores if counted), scores))

    def tap(self, values: Iterable[IndicatorValue]) -> Iterator[IndicatorValue]:
        """`values` unchanged, each sub-district's card scored as its values go by (the engine
        yields a scope's values together)."""
        value_places, target_places = _STORED_PLACES["value"], _STORED_PLACES["target"]
        current, figures = None, {}
        for v in values:
            scope = v.scope
            if scope.type == ScopeType.SUBDISTRICT:
                if scope.subdistrict_id != current:
                    if current is not None:
                        self.add(current, figures)
                    current, figures = scope.subdistrict_id, {}
                if v.indicator in self.codes:
                    value, target = v.value, v.target
                    figures[v.indicator] = (
                        None if value is None else value.quantize(value_places),
                        None if target is None else target.quantize(target_places),
                    )
            yield v
        if current is not None:
            self.add(current, figures)

    def _item(self, number: int, item: dict, found: tuple | None) -> Scored:
        key = (number, found)
        if key not in self._scored:
            snapshot = None if found is None else {"value": found[0], "target": found[1]}
            score = score_item(item, snapshot)
            stored = {name: getattr(score, name) for name in ITEM_FIELDS}  # all str/None: no deep copy
            counted = None if score.no_data else (Decimal(score.weight), Decimal(score.points))
            self._scored[key] = (stored, json.dumps(stored), counted)
        return self._scored[key]


def _score_stored(scorer: CardScorer, day: datetime.date) -> None:
    """Scores every sub-district with snapshots on `day` from them, in the order of their ids."""
    figures: dict[int, dict[str, tuple]] = defaultdict(dict)
    rows = IndicatorSnapshot.objects.filter(date=day, scope_type=ScopeType.SUBDISTRICT, indicator__in=scorer.codes)
    for subdistrict_id, code, value, target in rows.values_list("subdistrict_id", "indicator", "value", "target"):
        figures[subdistrict_id][code] = (value, target)
    # order_by(): the model's ordering would join the DISTINCT and return every snapshot row.
    subdistrict_ids = set(
        IndicatorSnapshot.objects.filter(date=day, scope_type=ScopeType.SUBDISTRICT)
        .order_by()
        .values_list("subdistrict_id", flat=True)
        .distinct()
    )
    for subdistrict_id in sorted(i for i in subdistrict_ids if i is not None):
        scorer.add(subdistrict_id, figures.get(subdistrict_id, {}))


@transaction.atomic
@gc_paused()  # 280,000 items a night at national scale (common.gc)
def compute_scorecards(*, year: int, user: User | SystemScope = SYSTEM, scored: CardScorer | None = None) -> int:
    """(Re)computes the draft cards of `year` from its statistical date's snapshots; how many.

    None (0) when the year has no snapshots or no method in force, and none when its cards are
    already published (they stay as published). `scored`: the cards the nightly job scored from
    the values it wrote (`CardScorer.tap`), used when their date is the statistical date and
    their method the one in force on it.
    """
    if user is not SYSTEM:
        require(user, Act.REVIEW)
    existing = Scorecard.objects.select_for_update().filter(year=year)
    if existing.filter(status=ScorecardStatus.PUBLISHED).exists():
        return 0
    day = statistical_date(year)
    method = method_for(day) if day else None
    if method is None:
        return 0
    if scored is None or scored.day != day or scored.method.pk != method.pk:
        scored = CardScorer(method)
        _score_stored(scored, day)
    # Plain rows, not model instances: building 40,000 Scorecards took longer than scoring them.
    cards = sorted(scored.cards, key=lambda card: card[0])
    previous = dict(Scorecard.objects.filter(year=year - 1).values_list("subdistrict_id", "score"))
    ranks = competition_ranks({subdistrict_id: score for subdistrict_id, score, _scores in cards})
    existing.delete()
    if uses_copy():
        _copy_cards(year, method, day, [(*card, ranks[card[0]], previous.get(card[0])) for card in cards])
    else:
        Scorecard.objects.bulk_create(
            (
                Scorecard(
                    year=year,
                    subdistrict_id=subdistrict_id,
                    method=method,
                    date=day,
                    items=[dict(stored) for stored, _json, _counted in scores],
                    score=score,
                    rank=ranks[subdistrict_id],
                    previous_score=previous.get(subdistrict_id),
                    status=ScorecardStatus.DRAFT,
                )
                for subdistrict_id, score, scores in cards
            ),
            batch_size=BATCH_SIZE,
        )
    return len(cards)


CARD_FIELDS = (
    "year",
    "subdistrict",
    "method",
    "date",
    "items",
    "score",
    "rank",
    "previous_score",
    "status",
    "computed_at",
)


def _copy_cards(year: int, method: ScorecardMethod, day: datetime.date, cards: list[tuple]) -> None:
    """The cards through ``COPY`` (PostgreSQL): (sub-district id, score, scored items, rank,
    previous score) each, the items' JSON joined from their own (what ``json.dumps`` of the list
    gives). `bulk_create` prepared every card's JSON and fields through the model, seconds for
    40,000 sub-districts."""
    now = timezone.now()
    copy_rows(
        Scorecard,
        CARD_FIELDS,
        (
            (
                year,
                subdistrict_id,
                method.pk,
                day,
                f"[{', '.join(text for _stored, text, _counted in scores)}]",
                score,
                rank,
                previous_score,
                ScorecardStatus.DRAFT,
                now,
            )
            for subdistrict_id, score, scores, rank, previous_score in cards
        ),
    )


@transaction.atomic
def scorecards_publish(*, year: int, user: User) -> int:
    """Publishes every draft card of `year` (bureau, `Act.REVIEW`); returns how many."""
    require(user, Act.REVIEW, message=_("只有区教委可以发布街道考核结果。"))
    drafts = Scorecard.objects.select_for_update().filter(year=year, status=ScorecardStatus.DRAFT)
    ids = list(drafts.values_list("pk", flat=True))
    if not ids:
        raise ValidationError(_("该学年没有待发布的考核结果。"))
    return Scorecard.objects.filter(pk__in=ids).update(
        status=ScorecardStatus.PUBLISHED, published_at=timezone.now(), published_by=user
    )


# --- reads ----------------------------------------------------------------------------------


def rule_text(item: ItemScore | dict) -> str:
    """The rule in words, with the item's numbers, as the page and docs show it."""
    get = item.get if isinstance(item, dict) else lambda name, default=None: getattr(item, name, default)
    if get("rule") == ScoreRule.RATIO_TO_TARGET:
        target = get("target")
        return (
            _("权重 × min(实际值 ÷ 目标值 %(target)s, 1)") % {"target": _as_percent(target)}
            if target is not None
            else _("权重 × min(实际值 ÷ 朝阳区目标值, 1)")
        )
    return _("实际值 ≤ %(target)s 得满分，否则 权重 × max(0, 1 − 实际值 ÷ %(cap)s)") % {
        "target": _number(get("target") or 0),
        "cap": _number(get("cap")),
    }


def _number(value: Any) -> str:
    number = _decimal(value)
    return "—" if number is None else f"{number.normalize():f}"


def _as_percent(value: Any) -> str:
    number = _decimal(value)
    return "—" if number is None else f"{(number * 100).normalize():f}%"


def display_value(indicator: str, value: Any) -> str:
    number = _decimal(value)
    if number is None:
        return _("无数据")
    if registry.is_ratio(indicator):
        # The one printing rule (cut, never rounded up): 0.899999 is 89.9 %, as on the dashboard.
        return shown(indicator, number)
    return _number(number.quantize(Decimal(1)) if number == number.to_integral_value() else number)


@dataclass(frozen=True)
class ItemRow:
    """An item of a card for the page: label, value and points in words."""

    item: ItemScore
    label: str
    value: str
    rule: str

    @property
    def lost(self) -> Decimal | None:
        return None if self.item.lost is None else Decimal(self.item.lost)


def item_rows(card: Scorecard) -> list[ItemRow]:
    rows = []
    for stored in card.items:
        item = ItemScore(**stored)
        rows.append(
            ItemRow(item, registry.label(item.indicator), display_value(item.indicator, item.value), rule_text(item))
        )
    return rows


def method_rows(method: ScorecardMethod) -> list[tuple[str, str, str, str]]:
    """(label, weight, direction, rule) of each item, for the method shown on the page."""
    return [
        (
            registry.label(item["indicator"]),
            _number(item["weight"]),
            ScoreDirection(item["direction"]).label,
            rule_text(item),
        )
        for item in method.items
    ]


def export_sheets(cards) -> list[Sheet]:
    rows = []
    for card in cards:
        row = {
            "year": f"{card.year}–{card.year + 1}",
            "subdistrict": card.subdistrict.name,
            "score": card.score,
            "rank": card.rank,
            "previous": card.previous_score,
            "trend": card.trend,
            "status": card.get_status_display(),
            "date": card.date.isoformat(),
        }
        for stored in card.items:
            item = ItemScore(**stored)
            row[f"points:{item.indicator}"] = _decimal(item.points) if not item.no_data else _("无数据")
        rows.append(row)
    codes = [stored["indicator"] for stored in (cards[0].items if cards else [])]
    columns = [
        TextColumn(header=_("学年"), field="year"),
        TextColumn(header=_("街道/地区"), field="subdistrict"),
        DecimalColumn(header=_("得分"), field="score"),
        IntegerColumn(header=_("排名"), field="rank"),
        DecimalColumn(header=_("上年得分"), field="previous"),
        DecimalColumn(header=_("较上年"), field="trend"),
        TextColumn(header=_("状态"), field="status"),
        TextColumn(header=_("统计日期"), field="date"),
        *(DecimalColumn(header=f"{registry.label(code)}（{_('得分')}）", field=f"points:{code}") for code in codes),
    ]
    return [Sheet(title=_("街道考核"), columns=columns, rows=rows, dropdowns=False)]
