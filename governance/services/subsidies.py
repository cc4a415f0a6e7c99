"""Subsidy disbursements (the bureau) and aid recipients (the director or the bureau)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import Act, may, require
from kindergartens.models import Kindergarten

from ..models import AidRecipient, Disbursement
from ..subsidies import month_start
from .common import validated_save


@transaction.atomic
def disbursement_record(
    *,
    kindergarten: Kindergarten,
    user,
    month: datetime.date,
    amount: Decimal,
    paid_on: datetime.date | None = None,
    note: str = "",
) -> Disbursement:
    require(user, Act.MANAGE, kindergarten)
    row = Disbursement(
        kindergarten=kindergarten,
        month=month_start(month),
        amount=amount,
        paid_on=paid_on or timezone.localdate(),
        note=note,
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    return validated_save(row, user)


@transaction.atomic
def aid_recipient_add(
    *, kindergarten: Kindergarten, user, school_year: int, initials: str, category: str, amount: Decimal
) -> AidRecipient:
    """A child aided, kept by initials only: names and ID numbers are refused by the model's validator."""
    if not (may(user, Act.FILL, kindergarten) or may(user, Act.MANAGE, kindergarten)):
        raise PermissionDenied(_("只有本园园长或区教委工作人员可以登记受资助幼儿。"))
    row = AidRecipient(
        kindergarten=kindergarten,
        school_year=school_year,
        initials=(initials or "").strip().upper(),
        category=category,
        amount=amount,
    )
    return validated_save(row, user)
