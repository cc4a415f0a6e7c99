"""Ethics: the kindergarten files its yearly self-check (`Act.FILL`, or the bureau); warnings and
violations are recorded by those who enforce on the kindergarten (`Act.ENFORCE`: the bureau, the
inspectors on their assigned kindergartens), optionally linked to a conduct case."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Act, may, require
from common.saving import validated_save
from inspections.models import ConductCase
from kindergartens.models import Kindergarten

from ..models import EthicsRecord, EthicsSelfCheck, Person, StaffMember

REFUSE_CHECK = gettext_lazy("只有本园园长或区教委工作人员可以提交师德师风自查。")
REFUSE_RECORD = gettext_lazy("只有区教委工作人员或负责该园的督学可以登记师德师风记录。")


@transaction.atomic
def self_check_save(
    *,
    kindergarten: Kindergarten,
    year: int,
    completed_on: datetime.date,
    staff_checked: int,
    user,
    findings: str = "",
    actions: str = "",
) -> EthicsSelfCheck:
    """Creates or corrects the kindergarten's self-check of `year`."""
    if not (may(user, Act.FILL, kindergarten) or may(user, Act.MANAGE, kindergarten)):
        raise PermissionDenied(str(REFUSE_CHECK))
    check = EthicsSelfCheck.objects.select_for_update().filter(kindergarten=kindergarten, year=year).first()
    check = check or EthicsSelfCheck(kindergarten=kindergarten, year=year)
    check.completed_on, check.staff_checked = completed_on, staff_checked
    check.findings, check.actions = findings, actions
    return validated_save(check, user)


@transaction.atomic
def ethics_record_save(
    *,
    kindergarten: Kindergarten,
    person: Person,
    kind: str,
    severity: str,
    occurred_on: datetime.date,
    description: str,
    user,
    outcome: str = "",
    decided_on: datetime.date | None = None,
    conduct_case: ConductCase | None = None,
) -> EthicsRecord:
    require(user, Act.ENFORCE, kindergarten, str(REFUSE_RECORD))
    if not StaffMember.objects.filter(person=person, kindergarten=kindergarten).exists():
        raise ValidationError({"person": _("此人不是（或从未是）该幼儿园的教职工。")})
    record = EthicsRecord(
        kindergarten=kindergarten,
        person=person,
        kind=kind,
        severity=severity,
        occurred_on=occurred_on,
        description=description,
        outcome=outcome,
        decided_on=decided_on,
        conduct_case=conduct_case,
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    return validated_save(record, user)
