"""Every write of conduct inspections and enforcement (规范办园行为): rectification orders with
their follow-up visits and penalties, unlicensed kindergartens (无证园) as cases, and cases
against training institutions or for corporal punishment and ethics.

Pages, the API and the demo seeder all go through these functions, so the rules live here:

- bureau staff act on every kindergarten and case; an inspector on the kindergartens assigned
  to them (and on the cases that name one of them); sub-district officials and directors only
  read (a director their own kindergarten's orders, never a case);
- a rectification order is open until it is rectified (by a follow-up visit that finds it
  rectified, or by recording the date) or, once its deadline has passed without rectification,
  penalised. Rectified and penalised orders are final: nothing changes them any more;
- an unlicensed kindergarten's case moves discovered → ordered to close or to convert → closed
  or converted (`UNLICENSED_TRANSITIONS`); closed and converted cases are final;
- a conduct case is open until it is closed with its outcome;
- no date lies in the future; every change is kept in the model's history with its user.

Errors are `ValidationError`s keyed by field, so forms and the API show them under the field.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Act, Reach, may, reach
from kindergartens.models import Kindergarten, Subdistrict

from ..choices import CaseStatus, OrderStatus, UnlicensedCaseStatus
from ..models import ConductCase, FollowUpVisit, RectificationOrder, UnlicensedCase
from .common import validated_save

# Allowed moves of an unlicensed kindergarten's case; anything else is refused.
UNLICENSED_TRANSITIONS: dict[str, frozenset[str]] = {
    UnlicensedCaseStatus.DISCOVERED: frozenset(
        {UnlicensedCaseStatus.ORDERED_TO_CLOSE, UnlicensedCaseStatus.ORDERED_TO_CONVERT, UnlicensedCaseStatus.CLOSED}
    ),
    UnlicensedCaseStatus.ORDERED_TO_CLOSE: frozenset({UnlicensedCaseStatus.CLOSED}),
    # A kindergarten that fails to convert is closed after all.
    UnlicensedCaseStatus.ORDERED_TO_CONVERT: frozenset({UnlicensedCaseStatus.CONVERTED, UnlicensedCaseStatus.CLOSED}),
    UnlicensedCaseStatus.CLOSED: frozenset(),
    UnlicensedCaseStatus.CONVERTED: frozenset(),
}
ORDERED_STATUSES = frozenset({UnlicensedCaseStatus.ORDERED_TO_CLOSE, UnlicensedCaseStatus.ORDERED_TO_CONVERT})
RESOLVED_STATUSES = frozenset({UnlicensedCaseStatus.CLOSED, UnlicensedCaseStatus.CONVERTED})


# --- who may do what -------------------------------------------------------------------------


def _require_enforcer(user: User | None, kindergarten_id: int | None, field: str = "kindergarten") -> None:
    """Orders and cases (`Act.ENFORCE`): bureau staff everywhere, an inspector only on an assigned
    kindergarten, which they must therefore name."""
    if not may(user, Act.ENFORCE):
        raise PermissionDenied(_("只有区教委工作人员和督学可以执行此操作。"))
    if kindergarten_id is None:
        if reach(user, Act.ENFORCE) != Reach.DISTRICT:
            raise ValidationError({field: [_("督学只能处理分配给自己的幼儿园，请选择幼儿园。")]})
    elif not may(user, Act.ENFORCE, kindergarten_id):
        raise ValidationError({field: [_("督学只能处理分配给自己的幼儿园。")]})


def _not_in_future(errors: dict[str, list], field: str, value: datetime.date | None, today: datetime.date) -> None:
    if value is not None and value > today:
        errors.setdefault(field, []).append(_("日期不能晚于今天。"))


def _raise(errors: dict[str, list]) -> None:
    if errors:
        raise ValidationError(errors)


def _required(errors: dict[str, list], field: str, value) -> None:
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        errors.setdefault(field, []).append(_("这个字段是必填项。"))


# --- rectification orders --------------------------------------------------------------------------


def _open_order(order: RectificationOrder) -> RectificationOrder:
    order = RectificationOrder._base_manager.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.OPEN:
        raise ValidationError(
            _("该整改通知已%(status)s，不能再修改。") % {"status": order.get_status_display()}, code="final"
        )
    return order


@transaction.atomic
def order_issue(
    *,
    kindergarten: Kindergarten,
    user: User | None,
    reason: str,
    description: str,
    deadline: datetime.date,
    issued_on: datetime.date | None = None,
) -> RectificationOrder:
    """Issues a rectification order to a kindergarten, with the deadline for rectifying."""
    _require_enforcer(user, kindergarten.pk if kindergarten else None)
    today = timezone.localdate()
    issued_on = issued_on or today
    errors: dict[str, list] = {}
    _not_in_future(errors, "issued_on", issued_on, today)
    _required(errors, "description", description)
    _raise(errors)
    order = RectificationOrder(
        kindergarten=kindergarten,
        reason=reason,
        description=(description or "").strip(),
        issued_on=issued_on,
        deadline=deadline,
        issued_by=user,
    )
    return validated_save(order, user)


@transaction.atomic
def order_update(
    *,
    order: RectificationOrder,
    user: User | None,
    reason: str,
    description: str,
    deadline: datetime.date,
    issued_on: datetime.date | None = None,
) -> RectificationOrder:
    """Corrects an open order or extends its deadline (the history keeps the earlier values)."""
    _require_enforcer(user, order.kindergarten_id)
    order = _open_order(order)
    today = timezone.localdate()
    errors: dict[str, list] = {}
    _not_in_future(errors, "issued_on", issued_on, today)
    _required(errors, "description", description)
    if FollowUpVisit._base_manager.filter(order=order, visited_on__lt=issued_on or order.issued_on).exists():
        errors.setdefault("issued_on", []).append(_("已有早于该日期的复查记录。"))
    _raise(errors)
    order.reason = reason
    order.description = (description or "").strip()
    order.deadline = deadline
    if issued_on is not None:
        order.issued_on = issued_on
    return validated_save(order, user)


@transaction.atomic
def order_follow_up(
    *,
    order: RectificationOrder,
    user: User | None,
    visited_on: datetime.date,
    note: str,
    rectified: bool = False,
) -> FollowUpVisit:
    """Records a follow-up visit on an open order; a visit that finds it rectified closes it that day."""
    _require_enforcer(user, order.kindergarten_id)
    order = _open_order(order)
    errors: dict[str, list] = {}
    _required(errors, "visited_on", visited_on)
    _required(errors, "note", note)
    _not_in_future(errors, "visited_on", visited_on, timezone.localdate())
    _raise(errors)
    visit = validated_save(
        FollowUpVisit(order=order, visited_on=visited_on, rectified=rectified, note=note.strip(), inspector=user),
        user,
    )
    if rectified:
        order.status = OrderStatus.RECTIFIED
        order.rectified_on = visited_on
        validated_save(order, user)
    return visit


@transaction.atomic
def order_rectify(*, order: RectificationOrder, user: User | None, rectified_on: datetime.date) -> RectificationOrder:
    """Records that the kindergarten rectified (e.g. on documents, without a visit)."""
    _require_enforcer(user, order.kindergarten_id)
    order = _open_order(order)
    errors: dict[str, list] = {}
    _required(errors, "rectified_on", rectified_on)
    _not_in_future(errors, "rectified_on", rectified_on, timezone.localdate())
    _raise(errors)
    order.status = OrderStatus.RECTIFIED
    order.rectified_on = rectified_on
    return validated_save(order, user)


@transaction.atomic
def order_penalise(
    *,
    order: RectificationOrder,
    user: User | None,
    penalty_kind: str,
    penalty_note: str,
    penalised_on: datetime.date,
) -> RectificationOrder:
    """Records the penalty for an order not rectified by its deadline (the penalty date is after it)."""
    _require_enforcer(user, order.kindergarten_id)
    order = _open_order(order)
    errors: dict[str, list] = {}
    _required(errors, "penalty_kind", penalty_kind)
    _required(errors, "penalised_on", penalised_on)
    _required(errors, "penalty_note", penalty_note)
    _not_in_future(errors, "penalised_on", penalised_on, timezone.localdate())
    _raise(errors)
    order.status = OrderStatus.PENALISED
    order.penalty_kind = penalty_kind
    order.penalty_note = penalty_note.strip()
    order.penalised_on = penalised_on
    return validated_save(order, user)  # the model refuses a penalty dated on or before the deadline


# --- unlicensed kindergartens ------------------------------------------------------------------


def _case_scope_check(user: User | None, subdistrict: Subdistrict | None, kindergarten: Kindergarten | None) -> None:
    _require_enforcer(user, kindergarten.pk if kindergarten else None)


@transaction.atomic
def unlicensed_case_create(
    *,
    user: User | None,
    subdistrict: Subdistrict,
    name: str,
    discovered_on: datetime.date,
    kindergarten: Kindergarten | None = None,
    address: str = "",
    operator: str = "",
    children: int = 0,
    note: str = "",
) -> UnlicensedCase:
    """Registers an unlicensed kindergarten found in a sub-district (status: discovered)."""
    _case_scope_check(user, subdistrict, kindergarten)
    errors: dict[str, list] = {}
    _not_in_future(errors, "discovered_on", discovered_on, timezone.localdate())
    _raise(errors)
    case = UnlicensedCase(
        subdistrict=subdistrict,
        kindergarten=kindergarten,
        name=(name or "").strip(),
        address=(address or "").strip(),
        operator=(operator or "").strip(),
        children=children or 0,
        discovered_on=discovered_on,
        note=(note or "").strip(),
        created_by=user,
    )
    return validated_save(case, user)


def _case_for_change(model, case, user: User | None):
    case = model._base_manager.select_for_update().get(pk=case.pk)
    _case_scope_check(user, case.subdistrict, case.kindergarten)
    return case


@transaction.atomic
def unlicensed_case_update(
    *,
    case: UnlicensedCase,
    user: User | None,
    subdistrict: Subdistrict,
    name: str,
    discovered_on: datetime.date,
    kindergarten: Kindergarten | None = None,
    address: str = "",
    operator: str = "",
    children: int = 0,
    note: str = "",
) -> UnlicensedCase:
    """Corrects a case's particulars; its status moves only by `unlicensed_case_transition`."""
    case = _case_for_change(UnlicensedCase, case, user)
    if case.status in RESOLVED_STATUSES:
        raise ValidationError(_("该案件已办结，不能再修改。"), code="final")
    _case_scope_check(user, subdistrict, kindergarten)
    errors: dict[str, list] = {}
    _not_in_future(errors, "discovered_on", discovered_on, timezone.localdate())
    _raise(errors)
    case.subdistrict = subdistrict
    case.kindergarten = kindergarten
    case.name = (name or "").strip()
    case.address = (address or "").strip()
    case.operator = (operator or "").strip()
    case.children = children or 0
    case.discovered_on = discovered_on
    case.note = (note or "").strip()
    return validated_save(case, user)


@transaction.atomic
def unlicensed_case_transition(
    *, case: UnlicensedCase, user: User | None, status: str, on: datetime.date, note: str = ""
) -> UnlicensedCase:
    """Moves a case on: ordered to close or convert (`on` is the order's date), or closed or
    converted (`on` is when it was done). `note` is added to the case's record of actions."""
    case = _case_for_change(UnlicensedCase, case, user)
    errors: dict[str, list] = {}
    allowed = UNLICENSED_TRANSITIONS.get(case.status, frozenset())
    if status not in allowed:
        errors.setdefault("status", []).append(
            _("“%(current)s”的案件不能改为“%(target)s”。")
            % {
                "current": case.get_status_display(),
                "target": dict(UnlicensedCaseStatus.choices).get(status, status),
            }
        )
    _required(errors, "on", on)
    _not_in_future(errors, "on", on, timezone.localdate())
    if status in RESOLVED_STATUSES and on and case.ordered_on and on < case.ordered_on:
        errors.setdefault("on", []).append(_("办结日期不能早于责令日期。"))
    _raise(errors)
    case.status = status
    if status in ORDERED_STATUSES:
        case.ordered_on = on
    else:
        case.resolved_on = on
    note = (note or "").strip()
    if note:
        line = f"{on:%Y-%m-%d} {dict(UnlicensedCaseStatus.choices)[status]}：{note}"
        case.note = f"{case.note}\n{line}".strip() if case.note else line
    try:
        return validated_save(case, user)
    except ValidationError as error:
        # The model names the date field it checks (ordered_on / resolved_on): the form calls it `on`.
        raise ValidationError(_date_errors_as_on(error)) from error


def _date_errors_as_on(error: ValidationError) -> dict[str, list]:
    errors: dict[str, list] = {}
    for field, messages in error.message_dict.items():
        errors.setdefault("on" if field in ("ordered_on", "resolved_on") else field, []).extend(messages)
    return errors


# --- conduct cases ---------------------------------------------------------------------------------


@transaction.atomic
def conduct_case_create(
    *,
    user: User | None,
    kind: str,
    subdistrict: Subdistrict,
    reported_on: datetime.date,
    description: str,
    kindergarten: Kindergarten | None = None,
    institution_name: str = "",
) -> ConductCase:
    """Registers a case: a training institution running preschool classes (name it), or corporal
    punishment or an ethics breach at a kindergarten (choose it)."""
    _case_scope_check(user, subdistrict, kindergarten)
    errors: dict[str, list] = {}
    _not_in_future(errors, "reported_on", reported_on, timezone.localdate())
    _required(errors, "description", description)
    _raise(errors)
    case = ConductCase(
        kind=kind,
        subdistrict=subdistrict,
        kindergarten=kindergarten,
        institution_name=(institution_name or "").strip(),
        reported_on=reported_on,
        description=(description or "").strip(),
        created_by=user,
    )
    return validated_save(case, user)


def _open_conduct_case(case: ConductCase, user: User | None) -> ConductCase:
    case = _case_for_change(ConductCase, case, user)
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("该案件已结案，不能再修改。"), code="final")
    return case


@transaction.atomic
def conduct_case_update(
    *,
    case: ConductCase,
    user: User | None,
    kind: str,
    subdistrict: Subdistrict,
    reported_on: datetime.date,
    description: str,
    kindergarten: Kindergarten | None = None,
    institution_name: str = "",
    outcome: str = "",
) -> ConductCase:
    """Corrects an open case or records its handling so far (`outcome`); closing is separate."""
    case = _open_conduct_case(case, user)
    _case_scope_check(user, subdistrict, kindergarten)
    errors: dict[str, list] = {}
    _not_in_future(errors, "reported_on", reported_on, timezone.localdate())
    _required(errors, "description", description)
    _raise(errors)
    case.kind = kind
    case.subdistrict = subdistrict
    case.kindergarten = kindergarten
    case.institution_name = (institution_name or "").strip()
    case.reported_on = reported_on
    case.description = (description or "").strip()
    case.outcome = (outcome or "").strip()
    return validated_save(case, user)


@transaction.atomic
def conduct_case_close(*, case: ConductCase, user: User | None, outcome: str, closed_on: datetime.date) -> ConductCase:
    """Closes a case with its outcome (what was found and what was done)."""
    case = _open_conduct_case(case, user)
    errors: dict[str, list] = {}
    _required(errors, "outcome", outcome)
    _required(errors, "closed_on", closed_on)
    _not_in_future(errors, "closed_on", closed_on, timezone.localdate())
    _raise(errors)
    case.status = CaseStatus.CLOSED
    case.outcome = outcome.strip()
    case.closed_on = closed_on
    return validated_save(case, user)
