"""Fee filings, registered accounts, yearly summaries and the alerts their anomalies raise.

A kindergarten's director (`Act.FILL` on their own) or bureau staff (`Act.MANAGE`) file; bureau
staff (`Act.REVIEW`) resolve alerts with a note. Anomalies:

- ``above_cap``: a filed item above the cap in force at the school year's start for the
  kindergarten's kind (public / inclusive private on that day) and grade; raised when filed and by
  the scan;
- ``not_filed``: an operating kindergarten without a care-and-education fee filed for the current
  school year; raised by the scan (`fee_alerts_scan`, the daily job);
- ``sponsor_payment``: a non-profit private kindergarten reporting payments to its sponsor.

The same anomaly is raised once while its alert is open (a partial unique constraint says so).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.permissions import Act, may, require
from enrollment.models import SchoolYear
from kindergartens.choices import SponsorType
from kindergartens.models import Kindergarten

from ..choices import AlertKind, AlertStatus, FeeItemKind
from ..models import FeeAlert, FeeFiling, FeeItem, FinancialSummary, RegisteredAccount
from ..selectors import caps_for, fee_kind, school_year_start
from .common import expect, locked, require_note, validated_save


def _require_filer(user, kindergarten: Kindergarten) -> None:
    if not (may(user, Act.FILL, kindergarten) or may(user, Act.MANAGE, kindergarten)):
        raise PermissionDenied(_("只有本园园长或区教委工作人员可以报送。"))


def _raise(kindergarten: Kindergarten, kind: str, key: str, detail: str, day: datetime.date, user) -> FeeAlert | None:
    """Opens an alert unless the same anomaly already has an open one."""
    if FeeAlert.objects.filter(kindergarten=kindergarten, kind=kind, key=key, status=AlertStatus.OPEN).exists():
        return None
    return validated_save(FeeAlert(kindergarten=kindergarten, kind=kind, key=key, detail=detail, raised_on=day), user)


def above_cap_details(filing: FeeFiling, items, memo: dict | None = None) -> list[tuple[str, str]]:
    """(key, detail) of each item above its cap; `memo` keeps the caps read per (kind, grade)."""
    start = school_year_start(filing.school_year)
    memo = {} if memo is None else memo
    kind = fee_kind(filing.kindergarten, start)
    if (kind, filing.grade) not in memo:
        memo[kind, filing.grade] = caps_for(kind, filing.grade, start)
    caps = memo[kind, filing.grade]
    found = []
    for item in items:
        cap = caps.get(item.item)
        if cap is not None and item.monthly_amount > cap.monthly_cap:
            detail = _("%(year)s学年%(item)s每生每月 %(amount)s 元，超过限价 %(cap)s 元（%(source)s）。") % {
                "year": filing.school_year_label,
                "item": item.get_item_display(),
                "amount": item.monthly_amount,
                "cap": cap.monthly_cap,
                "source": cap.source,
            }
            found.append((f"{filing.school_year}:{item.item}", detail))
    return found


@transaction.atomic
def fee_filing_save(
    *,
    kindergarten: Kindergarten,
    user,
    school_year: int,
    grade: str,
    amounts: Mapping[str, Decimal | None],
    other_description: str = "",
    note: str = "",
    day: datetime.date | None = None,
) -> FeeFiling:
    """Files (or re-files) a school year's fees: `amounts` per item kind, None for items not charged.
    Items above their cap raise alerts at once."""
    _require_filer(user, kindergarten)
    day = day or timezone.localdate()
    if amounts.get(FeeItemKind.CARE_EDUCATION) is None:
        raise ValidationError({FeeItemKind.CARE_EDUCATION: _("请填写保育教育费。")})
    filing = FeeFiling.objects.select_for_update().filter(kindergarten=kindergarten, school_year=school_year).first()
    if filing is None:
        filing = FeeFiling(kindergarten=kindergarten, school_year=school_year)
    filing.grade = grade
    filing.note = note
    filing.filed_on = day
    filing.filed_by = user if getattr(user, "pk", None) else None
    validated_save(filing, user)
    kept = []
    for kind in FeeItemKind.values:
        amount = amounts.get(kind)
        current = filing.items.filter(item=kind).first()
        if amount is None:
            if current is not None:
                current._history_user = user if getattr(user, "pk", None) else None
                current.delete()
            continue
        item = current or FeeItem(filing=filing, item=kind)
        item.monthly_amount = amount
        item.description = other_description if kind == FeeItemKind.OTHER else ""
        kept.append(validated_save(item, user))
    for key, detail in above_cap_details(filing, kept):
        _raise(kindergarten, AlertKind.ABOVE_CAP, key, detail, day, user)
    return filing


@transaction.atomic
def fee_alert_resolve(*, alert: FeeAlert, user, note: str, day: datetime.date | None = None) -> FeeAlert:
    alert = locked(alert, "kindergarten")
    require(user, Act.REVIEW, alert.kindergarten)
    expect(alert, AlertStatus.OPEN)
    alert.resolution_note = require_note(note, _("请填写处理说明。"))
    alert.status = AlertStatus.RESOLVED
    alert.resolved_on = day or timezone.localdate()
    alert.resolved_by = user if getattr(user, "pk", None) else None
    return validated_save(alert, user)


@transaction.atomic
def account_register(
    *, kindergarten: Kindergarten, user, bank: str, account_name: str, account_number: str, registered_on=None
) -> RegisteredAccount:
    """The fee account of a non-profit private kindergarten (收费账户备案)."""
    _require_filer(user, kindergarten)
    if kindergarten.sponsor_type != SponsorType.PRIVATE_NONPROFIT:
        raise ValidationError(_("只有非营利性民办园登记收费账户。"))
    account = RegisteredAccount.objects.filter(kindergarten=kindergarten).first() or RegisteredAccount(
        kindergarten=kindergarten
    )
    account.bank, account.account_name, account.account_number = bank, account_name, account_number
    account.registered_on = registered_on or timezone.localdate()
    return validated_save(account, user)


@transaction.atomic
def summary_file(
    *,
    kindergarten: Kindergarten,
    user,
    year: int,
    income: Decimal,
    expenditure: Decimal,
    sponsor_payments: Decimal = Decimal("0"),
    note: str = "",
    day: datetime.date | None = None,
) -> FinancialSummary:
    """A year's income and expenditure; a non-profit kindergarten paying its sponsor raises an alert."""
    _require_filer(user, kindergarten)
    day = day or timezone.localdate()
    summary = FinancialSummary.objects.filter(kindergarten=kindergarten, year=year).first() or FinancialSummary(
        kindergarten=kindergarten, year=year
    )
    summary.income, summary.expenditure, summary.sponsor_payments = income, expenditure, sponsor_payments
    summary.note, summary.filed_on = note, day
    validated_save(summary, user)
    if kindergarten.sponsor_type == SponsorType.PRIVATE_NONPROFIT and sponsor_payments > 0:
        _raise(kindergarten, AlertKind.SPONSOR_PAYMENT, str(year), _sponsor_detail(year, sponsor_payments), day, user)
    return summary


def _sponsor_detail(year: int, amount: Decimal) -> str:
    return _("%(year)s 年度向举办者支付 %(amount)s 元；非营利性民办园不得向举办者分配办园结余。") % {
        "year": year,
        "amount": amount,
    }


@transaction.atomic
def fee_alerts_scan(*, day: datetime.date | None = None, user=None) -> int:
    """Raises the alerts the data calls for on `day` that are not open yet; returns how many.

    A handful of queries (caps read once per kind and grade): operating kindergartens without this school year's
    care-and-education fee, this year's items above their caps, non-profit sponsor payments.
    """
    day = day or timezone.localdate()
    year = SchoolYear.start_year_for(day)
    open_keys = set(FeeAlert.objects.filter(status=AlertStatus.OPEN).values_list("kindergarten_id", "kind", "key"))
    new: list[FeeAlert] = []

    def add(kindergarten_id: int, kind: str, key: str, detail: str) -> None:
        if (kindergarten_id, kind, key) not in open_keys:
            open_keys.add((kindergarten_id, kind, key))
            new.append(FeeAlert(kindergarten_id=kindergarten_id, kind=kind, key=key, detail=detail, raised_on=day))

    filed = FeeItem.objects.filter(filing__school_year=year, item=FeeItemKind.CARE_EDUCATION).values(
        "filing__kindergarten"
    )
    label = f"{year}-{year + 1}"
    for kindergarten_id in Kindergarten.objects.operating().exclude(pk__in=filed).values_list("pk", flat=True):
        add(kindergarten_id, AlertKind.NOT_FILED, str(year), _("%(year)s学年保育教育费尚未备案。") % {"year": label})
    filings = FeeFiling.objects.filter(school_year=year).select_related("kindergarten").prefetch_related("items")
    memo: dict = {}
    for filing in filings:
        for key, detail in above_cap_details(filing, filing.items.all(), memo):
            add(filing.kindergarten_id, AlertKind.ABOVE_CAP, key, detail)
    paying = FinancialSummary.objects.filter(
        kindergarten__sponsor_type=SponsorType.PRIVATE_NONPROFIT, sponsor_payments__gt=0
    ).values_list("kindergarten_id", "year", "sponsor_payments")
    for kindergarten_id, summary_year, amount in paying:
        add(kindergarten_id, AlertKind.SPONSOR_PAYMENT, str(summary_year), _sponsor_detail(summary_year, amount))
    bulk_create_with_history(new, FeeAlert, default_user=user if getattr(user, "pk", None) else None)
    return len(new)
