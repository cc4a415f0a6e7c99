"""The recognition workflow (普惠性民办园认定) and the registry fields it keeps.

The director applies for their own non-profit private kindergarten (`Act.FILL`); bureau staff
(`Act.REVIEW`) record the sub-district's opinion — sub-district officials only read in the
permission layer, so their opinion reaches the portal through the bureau —, recognise or refuse,
review yearly, renew or revoke. Each step re-reads the recognition under a row lock, asks the
permission layer, checks the state and records an event.

The registry's `inclusive_status`, `recognition_date` and `recognition_expiry` (what inclusive
coverage reads, `Kindergarten.is_inclusive_on`) are written here, with a history row naming the
user and the step: recognising sets them to the period; renewing moves the expiry (or, after a
lapse, starts a new period); revoking on day R sets the expiry to R, so the kindergarten stops
counting as inclusive from R while dates before R keep counting — the same shape as a lapse.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Act, require
from inspections.choices import EvaluationStatus
from inspections.models import ExternalEvaluation
from kindergartens.choices import InclusiveStatus, SponsorType
from kindergartens.models import Kindergarten

from ..choices import LIVE_RECOGNITION_STATUSES, Opinion, RecognitionAction, RecognitionStatus
from ..models import Recognition, RecognitionEvent, RecognitionPolicy
from .common import expect, locked, require_note, validated_save

REFUSE_APPLY = gettext_lazy("只有本园园长可以提交普惠认定申请。")
REFUSE_REVIEW = gettext_lazy("只有区教委工作人员可以办理普惠认定。")


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def policy_for(day: datetime.date) -> RecognitionPolicy:
    policy = RecognitionPolicy.objects.for_day(day)
    if policy is None:
        raise ValidationError(_("%(day)s 没有生效的普惠认定规则。") % {"day": day})
    return policy


def latest_evaluation(kindergarten: Kindergarten) -> ExternalEvaluation | None:
    """The kindergarten's latest published supervisory evaluation (the quality module's result)."""
    return (
        ExternalEvaluation._base_manager.filter(kindergarten=kindergarten, status=EvaluationStatus.PUBLISHED)
        .select_related("cycle")
        .order_by("-cycle__start_year", "-published_at")
        .first()
    )


def _event(recognition: Recognition, action: str, user, day: datetime.date, note: str = "") -> RecognitionEvent:
    by = user if getattr(user, "pk", None) else None
    return validated_save(RecognitionEvent(recognition=recognition, action=action, note=note, day=day, by=by), user)


def _write_registry(recognition: Recognition, user, reason: str) -> Kindergarten:
    """The registry's inclusive fields follow the recognition, with a history row saying why."""
    kindergarten = Kindergarten.objects.select_for_update().get(pk=recognition.kindergarten_id)
    kindergarten.inclusive_status = InclusiveStatus.INCLUSIVE_PRIVATE
    kindergarten.recognition_date = recognition.valid_from
    kindergarten.recognition_expiry = recognition.valid_to
    kindergarten._change_reason = reason
    return validated_save(kindergarten, user)


@transaction.atomic
def recognition_apply(
    *,
    kindergarten: Kindergarten,
    user,
    grade: str,
    monthly_fee: Decimal,
    conditions_met: Iterable[str] = (),
    day: datetime.date | None = None,
) -> Recognition:
    """A director applies; the latest published evaluation grade is read and kept on the application."""
    require(user, Act.FILL, kindergarten, str(REFUSE_APPLY))
    kindergarten = Kindergarten.objects.select_for_update().get(pk=kindergarten.pk)
    day = day or timezone.localdate()
    if kindergarten.sponsor_type != SponsorType.PRIVATE_NONPROFIT:
        raise ValidationError(_("只有非营利性民办幼儿园可以申请普惠性民办园认定。"))
    if Recognition.objects.filter(kindergarten=kindergarten, status__in=LIVE_RECOGNITION_STATUSES).exists():
        raise ValidationError(_("本园已有办理中或有效的普惠认定，不能重复申请。"))
    policy = policy_for(day)
    conditions_met = list(dict.fromkeys(conditions_met))
    unknown = [c for c in conditions_met if c not in policy.conditions]
    if unknown:
        raise ValidationError({"conditions_met": _("未知的认定条件：%(c)s") % {"c": "、".join(unknown)}})
    evaluation = latest_evaluation(kindergarten)
    recognition = Recognition(
        kindergarten=kindergarten,
        grade=grade,
        monthly_fee=monthly_fee,
        conditions_met=conditions_met,
        conditions_total=len(policy.conditions),
        evaluation_grade=evaluation.grade if evaluation else "",
        evaluation_cycle=evaluation.cycle.name if evaluation else "",
        applied_on=day,
        applied_by=user if getattr(user, "pk", None) else None,
    )
    validated_save(recognition, user)
    _event(recognition, RecognitionAction.APPLIED, user, day)
    return recognition


@transaction.atomic
def recognition_record_opinion(*, recognition: Recognition, user, opinion: str, note: str = "") -> Recognition:
    """The sub-district's opinion, entered by bureau staff from the sub-district's letter."""
    recognition = locked(recognition, "kindergarten")
    require(user, Act.REVIEW, recognition.kindergarten, str(REFUSE_REVIEW))
    expect(recognition, RecognitionStatus.APPLIED)
    if opinion not in Opinion.values:
        raise ValidationError({"opinion": _("请选择街道意见。")})
    recognition.subdistrict_opinion = opinion
    recognition.subdistrict_note = note.strip()
    recognition.status = RecognitionStatus.AWAITING_REVIEW
    validated_save(recognition, user)
    label = Opinion(opinion).label
    _event(recognition, RecognitionAction.OPINION, user, timezone.localdate(), f"{label} {note}".strip())
    return recognition


@transaction.atomic
def recognition_recognise(
    *, recognition: Recognition, user, valid_from: datetime.date | None = None, note: str = ""
) -> Recognition:
    """Recognised for the policy's validity length from `valid_from`; the registry follows."""
    recognition = locked(recognition, "kindergarten")
    require(user, Act.REVIEW, recognition.kindergarten, str(REFUSE_REVIEW))
    expect(recognition, RecognitionStatus.AWAITING_REVIEW)
    valid_from = valid_from or timezone.localdate()
    policy = policy_for(valid_from)
    missing = [c for c in policy.conditions if c not in recognition.conditions_met]
    if missing:
        raise ValidationError(_("尚未具备认定条件：%(c)s") % {"c": "、".join(missing)})
    recognition.status = RecognitionStatus.RECOGNISED
    recognition.valid_from = valid_from
    recognition.valid_to = add_years(valid_from, policy.validity_years)
    validated_save(recognition, user)
    _event(recognition, RecognitionAction.RECOGNISED, user, valid_from, note)
    _write_registry(recognition, user, _("普惠性民办园认定"))
    return recognition


@transaction.atomic
def recognition_reject(*, recognition: Recognition, user, note: str) -> Recognition:
    recognition = locked(recognition, "kindergarten")
    require(user, Act.REVIEW, recognition.kindergarten, str(REFUSE_REVIEW))
    expect(recognition, RecognitionStatus.APPLIED, RecognitionStatus.AWAITING_REVIEW)
    note = require_note(note, _("请说明不予认定的理由。"))
    recognition.status = RecognitionStatus.REJECTED
    validated_save(recognition, user)
    _event(recognition, RecognitionAction.REJECTED, user, timezone.localdate(), note)
    return recognition


@transaction.atomic
def recognition_review(
    *, recognition: Recognition, user, passed: bool, note: str = "", day: datetime.date | None = None
) -> Recognition:
    """The annual review (年度复核): recorded; a failed one is followed by a revocation."""
    recognition = locked(recognition, "kindergarten")
    require(user, Act.REVIEW, recognition.kindergarten, str(REFUSE_REVIEW))
    expect(recognition, RecognitionStatus.RECOGNISED)
    day = day or timezone.localdate()
    if not passed:
        require_note(note, _("请说明复核未通过的原因。"))
    recognition.last_reviewed_on = day
    validated_save(recognition, user)
    outcome = _("复核通过") if passed else _("复核未通过")
    _event(recognition, RecognitionAction.REVIEWED, user, day, f"{outcome} {note}".strip())
    return recognition


@transaction.atomic
def recognition_renew(
    *, recognition: Recognition, user, note: str = "", day: datetime.date | None = None
) -> Recognition:
    """Renewed for the policy's validity length: from the current expiry while it still runs, or
    from `day` after a lapse (a new period starts; the lapsed days stay uncovered)."""
    recognition = locked(recognition, "kindergarten")
    require(user, Act.REVIEW, recognition.kindergarten, str(REFUSE_REVIEW))
    expect(recognition, RecognitionStatus.RECOGNISED)
    day = day or timezone.localdate()
    policy = policy_for(day)
    if recognition.valid_to and recognition.valid_to > day:
        recognition.valid_to = add_years(recognition.valid_to, policy.validity_years)
    else:
        recognition.valid_from = day
        recognition.valid_to = add_years(day, policy.validity_years)
    validated_save(recognition, user)
    _event(recognition, RecognitionAction.RENEWED, user, day, note)
    _write_registry(recognition, user, _("普惠认定延续"))
    return recognition


@transaction.atomic
def recognition_revoke(*, recognition: Recognition, user, note: str, day: datetime.date | None = None) -> Recognition:
    """Revoked from `day`: the recognition (and the registry's expiry) ends on it."""
    recognition = locked(recognition, "kindergarten")
    require(user, Act.REVIEW, recognition.kindergarten, str(REFUSE_REVIEW))
    expect(recognition, RecognitionStatus.RECOGNISED)
    note = require_note(note, _("请说明撤销认定的理由。"))
    day = day or timezone.localdate()
    if day <= recognition.valid_from:
        raise ValidationError(_("撤销日期须晚于认定日期。"))
    recognition.status = RecognitionStatus.REVOKED
    recognition.revoked_on = day
    recognition.valid_to = min(recognition.valid_to, day) if recognition.valid_to else day
    validated_save(recognition, user)
    _event(recognition, RecognitionAction.REVOKED, user, day, note)
    _write_registry(recognition, user, _("撤销普惠认定"))
    return recognition
