"""Subsidy disbursements (the bureau), aid recipients (the director or the bureau), and the facts the
new-place and rent subsidies are computed from: new places approved (the bureau), rented premises
(the director or the bureau)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import Act, may, require
from kindergartens.models import Kindergarten

from ..models import AidRecipient, Disbursement, NewPlace, RentedPremises
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


@transaction.atomic
def new_place_record(
    *, kindergarten: Kindergarten, user, approved_on: datetime.date, places: int, reference: str = "", note: str = ""
) -> NewPlace:
    """New places the bureau approved (bureau staff, `Act.MANAGE`): one-off subsidy facts."""
    require(user, Act.MANAGE, kindergarten)
    row = NewPlace(kindergarten=kindergarten, approved_on=approved_on, places=places, reference=reference, note=note)
    return validated_save(row, user)


@transaction.atomic
def rented_premises_save(
    *,
    kindergarten: Kindergarten,
    user,
    area_m2: Decimal,
    rent_from: datetime.date,
    rent_to: datetime.date,
    lessor: str = "",
    note: str = "",
    premises: RentedPremises | None = None,
) -> RentedPremises:
    """A lease the kindergarten holds (its director or bureau staff); `premises` to correct one."""
    if not (may(user, Act.FILL, kindergarten) or may(user, Act.MANAGE, kindergarten)):
        raise PermissionDenied(_("只有本园园长或区教委工作人员可以登记租赁园舍。"))
    row = premises or RentedPremises()
    row.kindergarten = kindergarten
    row.area_m2, row.rent_from, row.rent_to, row.lessor, row.note = area_m2, rent_from, rent_to, lessor, note
    return validated_save(row, user)
