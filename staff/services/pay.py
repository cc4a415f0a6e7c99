"""The yearly pay filing: the kindergarten fills its own (`Act.FILL`), the bureau any (`Act.MANAGE`).
Saving replaces the filing's lines; everything is validated before anything is written."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Act, may
from common.saving import validated_save
from kindergartens.models import Kindergarten

from ..models import PayFiling, PayLine

REFUSE_FILE = gettext_lazy("只有本园园长或区教委工作人员可以填报工资待遇。")
FILING_FIELDS = (
    "insurance_required",
    "insurance_covered",
    "housing_required",
    "housing_covered",
    "leave_entitled",
    "leave_taken",
    "rotation_arranged",
    "note",
)


def may_file_pay(user, kindergarten: Kindergarten) -> bool:
    return may(user, Act.FILL, kindergarten) or may(user, Act.MANAGE, kindergarten)


@transaction.atomic
def pay_filing_save(*, kindergarten: Kindergarten, year: int, lines: list[dict], user, **fields) -> PayFiling:
    """Creates or replaces the kindergarten's filing of `year`; `lines` are dicts of role,
    establishment, headcount and average_monthly_pay (at least one)."""
    if not may_file_pay(user, kindergarten):
        raise PermissionDenied(str(REFUSE_FILE))
    if not lines:
        raise ValidationError(_("请至少填写一个岗位的人数和月平均工资。"))
    filing = PayFiling.objects.select_for_update().filter(kindergarten=kindergarten, year=year).first()
    filing = filing or PayFiling(kindergarten=kindergarten, year=year)
    for name in FILING_FIELDS:
        if name in fields:
            setattr(filing, name, fields[name])
    filing.filed_by = user if getattr(user, "pk", None) else None
    validated_save(filing, user)
    new_lines = [PayLine(filing=filing, **line) for line in lines]
    for line in new_lines:
        line.full_clean(exclude=["filing"], validate_unique=False)
    keys = [(line.role, line.establishment) for line in new_lines]
    if len(set(keys)) != len(keys):
        raise ValidationError(_("同一岗位和编制情况只能填一行。"))
    filing.lines.all().delete()
    for line in new_lines:
        validated_save(line, user)
    return filing
