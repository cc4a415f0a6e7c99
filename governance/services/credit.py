"""Credit records: the daily refresh, commendations, appeals and the exit of a failing kindergarten.

- ``credit_refresh`` (daily, `governance.credit_refresh` in beat, and `manage.py refresh_credit`):
  a record for each private kindergarten, the events the other modules call for that are not
  drawn yet (each source row once: ``source_key``), then each record's scores and levels under
  the rule in force. Idempotent: run twice on a day, the second run adds nothing.
- ``credit_commend``: a commendation recorded by bureau staff (`Act.REVIEW`).
- ``credit_appeal_file`` (the director, `Act.APPEAL`) and ``credit_appeal_decide`` (`Act.REVIEW`):
  upheld, the event is withdrawn and the record recomputed at once.
- ``credit_exit``: bureau staff (`Act.MANAGE`) suspend or close a D-level kindergarten with a
  transfer plan placing all its children; the registry's licence status follows, with history.

Events drawn (source → kind, the day it counts from):
rectification orders → ``order`` (issued), penalised ones also ``order_penalised`` (penalised);
closed corporal-punishment and ethics cases → ``conduct_case`` (closed); fee alerts above the cap
and sponsor payments → ``fee_above_cap`` / ``sponsor_payment`` (raised); major hazards still open
after their deadline → ``major_hazard`` (the day after the deadline); published evaluations graded
unqualified or excellent → ``evaluation_unqualified`` / ``evaluation_excellent`` (published).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, CharField, Exists, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.permissions import Act, require
from inspections.choices import CaseStatus, ConductCaseKind, EvaluationStatus, OrderStatus, ResultGrade
from inspections.models import ConductCase, ExternalEvaluation, RectificationOrder
from kindergartens.choices import LicenceStatus
from kindergartens.models import Kindergarten
from safety.models import Hazard

from ..choices import (
    AlertKind,
    AppealStatus,
    CreditEventKind,
    CreditEventStatus,
    CreditLevel,
    CreditSubject,
    ExitKind,
)
from ..models import (
    CreditAppeal,
    CreditEvent,
    CreditExit,
    CreditLevelChange,
    CreditRecord,
    CreditRule,
    FeeAlert,
    TransferPlanLine,
)
from .common import expect, locked, require_note, validated_save

SUBJECT_FIELDS = {
    CreditSubject.KINDERGARTEN: ("score", "level"),
    CreditSubject.SPONSOR: ("sponsor_score", "sponsor_level"),
    CreditSubject.PRINCIPAL: ("principal_score", "principal_level"),
}


def _who(user):
    return user if getattr(user, "pk", None) else None


def rule_for(day: datetime.date) -> CreditRule:
    rule = CreditRule.objects.for_day(day)
    if rule is None:
        raise ValidationError(_("%(day)s 没有生效的信用评价规则。") % {"day": f"{day:%Y-%m-%d}"})
    return rule


def scored_records(rule: CreditRule, day: datetime.date, records=None):
    """Records annotated with each subject's points (`<subject>_points`) from their active events
    in the rule's window, summed in the database."""
    records = CreditRecord.objects.all() if records is None else records
    counted = Q(events__status=CreditEventStatus.ACTIVE, events__occurred_on__range=(rule.window_start(day), day))
    annotations = {}
    for subject in CreditSubject.values:
        whens = [
            When(events__kind=kind, then=Value(rule.points_for(kind, subject)))
            for kind in CreditEventKind.values
            if rule.points_for(kind, subject)
        ]
        points = Case(*whens, default=Value(0), output_field=IntegerField()) if whens else Value(0)
        annotations[f"{subject}_points"] = Coalesce(Sum(points, filter=counted), Value(0))
    return records.annotate(**annotations)


def _undrawn(queryset: QuerySet, prefix: str) -> QuerySet:
    """The source rows whose event ("<prefix>:<pk>") is not on their kindergarten's record yet,
    withdrawn or not: an anti-join in the database, so a daily refresh reads only the new rows."""
    key = Concat(Value(f"{prefix}:"), Cast(OuterRef("pk"), output_field=CharField()))
    drawn = CreditEvent.objects.filter(record__kindergarten_id=OuterRef("kindergarten_id"), source_key=key)
    return queryset.exclude(Exists(drawn))


def _drawn(day: datetime.date, records: dict[int, int]) -> list[tuple[int, str, str, str, datetime.date, str]]:
    """(kindergarten id, kind, source key, url, occurred on, detail) of every event the other
    modules call for on `day` and not drawn yet, for the kindergartens in `records` (kindergarten
    id → record id)."""
    ids = list(records)
    found = []
    orders = _undrawn(RectificationOrder.objects.filter(kindergarten_id__in=ids, issued_on__lte=day), "order")
    for order in orders.only("pk", "kindergarten_id", "reason", "issued_on"):
        found.append(
            (
                order.kindergarten_id,
                CreditEventKind.ORDER,
                f"order:{order.pk}",
                reverse("inspections:order_detail", args=[order.pk]),
                order.issued_on,
                _("限期整改：%(reason)s") % {"reason": order.get_reason_display()},
            )
        )
    penalised = RectificationOrder.objects.filter(
        kindergarten_id__in=ids, status=OrderStatus.PENALISED, penalised_on__lte=day
    )
    for order in _undrawn(penalised, "order-penalised").only("pk", "kindergarten_id", "penalised_on", "penalty_kind"):
        found.append(
            (
                order.kindergarten_id,
                CreditEventKind.ORDER_PENALISED,
                f"order-penalised:{order.pk}",
                reverse("inspections:order_detail", args=[order.pk]),
                order.penalised_on,
                _("逾期未整改，处罚：%(penalty)s") % {"penalty": order.get_penalty_kind_display()},
            )
        )
    cases = ConductCase.objects.filter(
        kindergarten_id__in=ids,
        kind__in=(ConductCaseKind.CORPORAL_PUNISHMENT, ConductCaseKind.ETHICS),
        status=CaseStatus.CLOSED,
        closed_on__lte=day,
    )
    cases = _undrawn(cases, "case")
    for case in cases.only("pk", "kindergarten_id", "kind", "closed_on"):
        found.append(
            (
                case.kindergarten_id,
                CreditEventKind.CONDUCT_CASE,
                f"case:{case.pk}",
                reverse("inspections:conduct_case_detail", args=[case.pk]),
                case.closed_on,
                _("已结案：%(kind)s") % {"kind": case.get_kind_display()},
            )
        )
    alerts = FeeAlert.objects.filter(
        kindergarten_id__in=ids, kind__in=(AlertKind.ABOVE_CAP, AlertKind.SPONSOR_PAYMENT), raised_on__lte=day
    )
    alerts = _undrawn(alerts, "fee-alert")
    for alert in alerts.only("pk", "kindergarten_id", "kind", "raised_on", "detail"):
        kind = CreditEventKind.FEE_ABOVE_CAP if alert.kind == AlertKind.ABOVE_CAP else CreditEventKind.SPONSOR_PAYMENT
        found.append(
            (
                alert.kindergarten_id,
                kind,
                f"fee-alert:{alert.pk}",
                reverse("governance:fee_alert_detail", args=[alert.pk]),
                alert.raised_on,
                alert.detail,
            )
        )
    hazards = _undrawn(Hazard.objects.filter(kindergarten_id__in=ids).major().overdue(day), "hazard")
    for hazard in hazards.only("pk", "kindergarten_id", "deadline", "category"):
        found.append(
            (
                hazard.kindergarten_id,
                CreditEventKind.MAJOR_HAZARD,
                f"hazard:{hazard.pk}",
                reverse("safety:hazard_detail", args=[hazard.pk]),
                hazard.deadline + datetime.timedelta(days=1),
                _("重大隐患（%(category)s）逾期未整改，整改期限 %(deadline)s。")
                % {"category": hazard.get_category_display(), "deadline": f"{hazard.deadline:%Y-%m-%d}"},
            )
        )
    evaluations = ExternalEvaluation.objects.filter(
        kindergarten_id__in=ids,
        status=EvaluationStatus.PUBLISHED,
        grade__in=(ResultGrade.UNQUALIFIED, ResultGrade.EXCELLENT),
        published_at__isnull=False,
    )
    evaluations = _undrawn(evaluations, "evaluation").select_related("cycle")
    for evaluation in evaluations:
        published = timezone.localdate(evaluation.published_at)
        if published > day:
            continue
        unqualified = evaluation.grade == ResultGrade.UNQUALIFIED
        found.append(
            (
                evaluation.kindergarten_id,
                CreditEventKind.EVALUATION_UNQUALIFIED if unqualified else CreditEventKind.EVALUATION_EXCELLENT,
                f"evaluation:{evaluation.pk}",
                reverse("inspections:external_evaluation_detail", args=[evaluation.pk]),
                published,
                _("%(cycle)s督导评估结果：%(grade)s")
                % {"cycle": evaluation.cycle.name, "grade": evaluation.get_grade_display()},
            )
        )
    return found


def recompute(records: Iterable[CreditRecord] | QuerySet, day: datetime.date, reason: str, user=None) -> int:
    """Writes each record's scores and levels under the rule in force on `day`; appends a level
    change for each subject whose level changed (or was never set). Returns the changes made.

    Set-based: the points are summed in the database, the changed records written by
    `bulk_update` with their history rows (reason `reason`), the level changes by one insert. The
    values need no `full_clean`: scores come from the rule's bounds, levels from its choices."""
    rule = rule_for(day)
    if not isinstance(records, QuerySet):
        records = CreditRecord.objects.filter(pk__in=[r.pk for r in records])
    changes: list[CreditLevelChange] = []
    changed_records: list[CreditRecord] = []
    for record in scored_records(rule, day, records.order_by()).order_by("pk"):
        changed = False
        for subject, (score_field, level_field) in SUBJECT_FIELDS.items():
            score = rule.score_of(getattr(record, f"{subject}_points"))
            level = rule.level_of(score)
            previous = getattr(record, level_field)
            if getattr(record, score_field) != score or previous != level:
                changed = True
                setattr(record, score_field, score)
                setattr(record, level_field, level)
            if previous != level:
                changes.append(
                    CreditLevelChange(
                        record=record,
                        subject=subject,
                        day=day,
                        score=score,
                        level=level,
                        previous_level=previous,
                        rule=rule,
                        reason=reason,
                    )
                )
        if changed or record.rule_id != rule.pk:
            record.rule, record.computed_on = rule, day
            changed_records.append(record)
    fields = [*(name for pair in SUBJECT_FIELDS.values() for name in pair), "rule", "computed_on"]
    bulk_update_with_history(
        changed_records, CreditRecord, fields, batch_size=500, default_user=_who(user), default_change_reason=reason
    )
    CreditLevelChange.objects.bulk_create(changes, batch_size=1000)
    return len(changes)


def _keep_names(private: QuerySet, user) -> None:
    """A record for each private kindergarten that has none, and on every record the principal's
    and the sponsor's names as the registry has them today (a change is a history row)."""
    names = {
        pk: (principal, sponsor) for pk, principal, sponsor in private.values_list("pk", "principal", "sponsor_name")
    }
    held = {
        kindergarten: (principal, sponsor)
        for kindergarten, principal, sponsor in CreditRecord.objects.filter(kindergarten_id__in=names).values_list(
            "kindergarten_id", "principal_name", "sponsor_name"
        )
    }
    missing = [
        CreditRecord(kindergarten_id=pk, principal_name=principal, sponsor_name=sponsor)
        for pk, (principal, sponsor) in names.items()
        if pk not in held
    ]
    bulk_create_with_history(missing, CreditRecord, batch_size=500, default_user=_who(user))
    renamed = list(CreditRecord.objects.filter(kindergarten_id__in=[k for k, pair in held.items() if pair != names[k]]))
    for record in renamed:
        record.principal_name, record.sponsor_name = names[record.kindergarten_id]
    bulk_update_with_history(
        renamed,
        CreditRecord,
        ["principal_name", "sponsor_name"],
        batch_size=500,
        default_user=_who(user),
        default_change_reason=_("园长、举办者名称随幼儿园名录更新"),
    )


@transaction.atomic
def credit_refresh(*, day: datetime.date | None = None, user=None) -> int:
    """Records for every private kindergarten (names as in the registry), the events not drawn yet,
    then scores and levels. Returns the events added (0 on a second run the same day)."""
    day = day or timezone.localdate()
    rule_for(day)
    private = Kindergarten.objects.private().exclude(licence_status=LicenceStatus.UNLICENSED)
    _keep_names(private, user)
    records = dict(CreditRecord.objects.filter(kindergarten__in=private).values_list("kindergarten_id", "pk"))
    new = [
        CreditEvent(
            record_id=records[kindergarten_id],
            kind=kind,
            source_key=key,
            source_url=url,
            occurred_on=occurred_on,
            detail=detail,
        )
        for kindergarten_id, kind, key, url, occurred_on, detail in _drawn(day, records)
    ]
    bulk_create_with_history(new, CreditEvent, batch_size=500, default_user=_who(user))
    recompute(CreditRecord.objects.filter(kindergarten__in=private), day, _("每日信用评价"), user)
    return len(new)


@transaction.atomic
def credit_commend(*, record: CreditRecord, user, detail: str, day: datetime.date | None = None) -> CreditEvent:
    """A commendation (表彰奖励) recorded by bureau staff; the record is rescored at once."""
    require(user, Act.REVIEW, record.kindergarten)
    day = day or timezone.localdate()
    event = CreditEvent(
        record=record,
        kind=CreditEventKind.COMMENDATION,
        source_key=f"commendation:{uuid.uuid4().hex[:20]}",
        occurred_on=day,
        detail=require_note(detail, _("请填写表彰内容。")),
        recorded_by=_who(user),
    )
    validated_save(event, user)
    recompute([record], day, _("表彰奖励"), user)
    return event


@transaction.atomic
def credit_appeal_file(*, event: CreditEvent, user, grounds: str, day: datetime.date | None = None) -> CreditAppeal:
    event = locked(event, "record__kindergarten")
    require(user, Act.APPEAL, event.record.kindergarten, _("只有本园园长可以提出申诉。"))
    expect(event, CreditEventStatus.ACTIVE)
    # One appeal an event: a dismissed appeal filed again would keep the public level under
    # review (评定复核中) for as long as the kindergarten liked.
    earlier = event.appeals.values_list("status", flat=True).first()
    if earlier == AppealStatus.PENDING:
        raise ValidationError(_("该事件已有待处理的申诉。"))
    if earlier is not None:
        raise ValidationError(_("该事件的申诉已处理，不能再次申诉。"))
    appeal = CreditAppeal(
        event=event,
        grounds=require_note(grounds, _("请填写申诉理由。")),
        filed_on=day or timezone.localdate(),
        filed_by=_who(user),
    )
    return validated_save(appeal, user)


@transaction.atomic
def credit_appeal_decide(
    *, appeal: CreditAppeal, user, upheld: bool, note: str, day: datetime.date | None = None
) -> CreditAppeal:
    """Upheld: the event is withdrawn and the record rescored; dismissed: the event stands."""
    appeal = locked(appeal, "event__record__kindergarten")
    record = appeal.event.record
    require(user, Act.REVIEW, record.kindergarten)
    expect(appeal, AppealStatus.PENDING)
    day = day or timezone.localdate()
    appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.DISMISSED
    appeal.decision_note = require_note(note, _("请填写处理意见。"))
    appeal.decided_on, appeal.decided_by = day, _who(user)
    validated_save(appeal, user)
    if upheld:
        event = appeal.event
        event.status = CreditEventStatus.WITHDRAWN
        validated_save(event, user)
        recompute([record], day, _("申诉成立，撤销信用事件"), user)
    return appeal


@transaction.atomic
def credit_exit(
    *,
    record: CreditRecord,
    user,
    kind: str,
    effective_on: datetime.date,
    reason: str,
    children_to_place: int,
    transfers: Sequence[tuple[Kindergarten, int]],
    day: datetime.date | None = None,
) -> CreditExit:
    """Suspends or closes a D-level kindergarten with a plan placing every child: the receiving
    kindergartens are operating, other than this one, and take as many children as are to place."""
    record = locked(record, "kindergarten")
    kindergarten = record.kindergarten
    require(user, Act.MANAGE, kindergarten)
    if record.level != CreditLevel.D:
        raise ValidationError(_("只有信用等级为 D 级的幼儿园可以启动退出处置。"))
    if record.exits.exists():
        raise ValidationError(_("该幼儿园已有退出处置。"))
    errors = []
    receivers = [receiving.pk for receiving, _n in transfers]
    if len(receivers) != len(set(receivers)):
        errors.append(_("同一接收幼儿园只能填写一次。"))
    if kindergarten.pk in receivers:
        errors.append(_("接收幼儿园不能是退出的幼儿园本身。"))
    operating = set(Kindergarten.objects.operating().filter(pk__in=receivers).values_list("pk", flat=True))
    if set(receivers) - operating:
        errors.append(_("接收幼儿园须为正常办园的幼儿园。"))
    placed = sum(n for _k, n in transfers)
    if placed != children_to_place:
        errors.append(
            _("分流方案安置 %(placed)s 名幼儿，与需分流的 %(total)s 名不一致。")
            % {"placed": placed, "total": children_to_place}
        )
    if errors:
        raise ValidationError({"transfers": errors})
    exit_ = validated_save(
        CreditExit(
            record=record,
            kind=kind,
            decided_on=day or timezone.localdate(),
            effective_on=effective_on,
            reason=require_note(reason, _("请填写决定理由。")),
            children_to_place=children_to_place,
            decided_by=_who(user),
        ),
        user,
    )
    for receiving, children in transfers:
        validated_save(TransferPlanLine(exit=exit_, receiving=receiving, children=children), user)
    kindergarten.licence_status = LicenceStatus.SUSPENDED if kind == ExitKind.SUSPENSION else LicenceStatus.CLOSED
    kindergarten._change_reason = _("信用档案：%(kind)s") % {"kind": exit_.get_kind_display()}
    validated_save(kindergarten, user)
    return exit_
