"""New versions of the safe-campus rules, entered by bureau staff.

A version that has begun (in force or in the past) is never edited: a new version supersedes it
from a date, which closes the previous one (`valid_to` = the day before) in the same
transaction. A version that has not begun yet may still be corrected, its start date included.
Versions never overlap (`SafetyRuleSet.clean` checks it once more).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Act, require

from ..models import SafetyRuleSet
from .common import validated_save

REFUSE_RULES = gettext_lazy("只有区教委工作人员可以修改安全规则。")
# What a version holds besides its dates: what the form edits and a new version copies.
RULE_FIELDS = (
    "name",
    "source",
    "guard_bands",
    "guards_step_people",
    "guards_step",
    "min_safety_managers",
    "video_retention_days",
    "intrusion_log_days",
    "access_log_days",
    "drills_per_quarter",
    "alarm_test_days",
    "min_carers",
    "general_deadline_days",
    "major_deadline_days",
)
ONE_DAY = datetime.timedelta(days=1)


def rule_set_values(rule_set: SafetyRuleSet | None) -> dict:
    """The values of a version, as the starting values of the next one."""
    if rule_set is None:
        return {}
    return {name: getattr(rule_set, name) for name in RULE_FIELDS}


def rule_set_editable(rule_set: SafetyRuleSet, today: datetime.date | None = None) -> bool:
    """Only a version that has not begun may be corrected; the others are superseded."""
    return rule_set.valid_from > (today or timezone.localdate())


def start_error(valid_from: datetime.date, today: datetime.date | None = None) -> str | None:
    """Why a version may not start on `valid_from`, if it may not: the past keeps its rules."""
    today = today or timezone.localdate()
    if valid_from < today:
        return _("生效日期不能早于今天（%(today)s）：已过去的日子按当时生效的规则执行。") % {"today": today}
    return None


def _not_before_today(valid_from: datetime.date, today: datetime.date) -> None:
    error = start_error(valid_from, today)
    if error:
        raise ValidationError({"valid_from": error})


def _save(rule_set: SafetyRuleSet, user, reason: str) -> None:
    rule_set._change_reason = reason[:100]
    validated_save(rule_set, user)


@transaction.atomic
def rule_set_supersede(*, user, valid_from: datetime.date, **values) -> SafetyRuleSet:
    """Enters a new version from `valid_from` (today or later), closing the one it follows."""
    require(user, Act.MANAGE, message=str(REFUSE_RULES))
    today = timezone.localdate()
    _not_before_today(valid_from, today)
    versions = list(SafetyRuleSet.objects.select_for_update().order_by("valid_from"))
    later = [v for v in versions if v.valid_from >= valid_from]
    if later:
        raise ValidationError(
            {
                "valid_from": _("%(day)s 起已有版本“%(name)s”。请选择更晚的生效日期，或修改那个尚未生效的版本。")
                % {"day": later[0].valid_from, "name": later[0].name}
            }
        )
    new = SafetyRuleSet(valid_from=valid_from, valid_to=None, **values)
    previous = versions[-1] if versions else None
    if previous is not None and (previous.valid_to is None or previous.valid_to >= valid_from):
        previous.valid_to = valid_from - ONE_DAY
        _save(previous, user, _("由新版本“%(name)s”（%(day)s 起）取代") % {"name": new.name, "day": valid_from})
    _save(new, user, _("录入新版本"))
    return new


@transaction.atomic
def rule_set_update(*, rule_set: SafetyRuleSet, user, valid_from: datetime.date, **values) -> SafetyRuleSet:
    """Corrects a version that has not begun yet; moving its start moves the previous one's end."""
    require(user, Act.MANAGE, message=str(REFUSE_RULES))
    today = timezone.localdate()
    rule_set = SafetyRuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if not rule_set_editable(rule_set, today):
        raise ValidationError(_("该版本已经生效（或已过期），不能修改；请录入新版本取代它。"))
    _not_before_today(valid_from, today)
    others = SafetyRuleSet.objects.select_for_update().exclude(pk=rule_set.pk)
    previous = others.filter(valid_from__lt=rule_set.valid_from).order_by("-valid_from").first()
    following = others.filter(valid_from__gt=rule_set.valid_from).order_by("valid_from").first()
    if previous is not None and valid_from <= previous.valid_from:
        raise ValidationError(
            {"valid_from": _("生效日期须晚于上一版本的生效日期（%(day)s）。") % {"day": previous.valid_from}}
        )
    if following is not None and valid_from >= following.valid_from:
        raise ValidationError(
            {"valid_from": _("生效日期须早于下一版本的生效日期（%(day)s）。") % {"day": following.valid_from}}
        )
    old_start = rule_set.valid_from
    for name, value in values.items():
        setattr(rule_set, name, value)
    rule_set.valid_from = valid_from
    closes_previous = previous is not None and (
        previous.valid_to is None or previous.valid_to == old_start - ONE_DAY or previous.valid_to >= valid_from
    )
    reason = _("修改尚未生效的版本")
    if closes_previous:
        previous.valid_to = valid_from - ONE_DAY
        close = _("随新版本“%(name)s”的生效日期调整") % {"name": rule_set.name}
        # In the order that never lets the two overlap: the one that shrinks goes first.
        if valid_from < old_start:
            _save(previous, user, close)
            _save(rule_set, user, reason)
        else:
            _save(rule_set, user, reason)
            _save(previous, user, close)
    else:
        _save(rule_set, user, reason)
    return rule_set
