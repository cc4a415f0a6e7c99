"""Demo recognitions in every state, matching the registry's recognition dates.

Every kindergarten the registry lists as inclusive private gets the recognition behind its dates
(recognised; those past their expiry lapsed and those within the warning days about to); a few
lapsed ones are revoked instead, and some non-profit private kindergartens have an application
waiting for the sub-district's opinion or the bureau's review, or one refused.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from accounts.choices import Role
from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from kindergartens.choices import InclusiveStatus, SponsorType
from kindergartens.models import Kindergarten

from ..choices import Opinion, RecognitionAction, RecognitionStatus
from ..models import Recognition, RecognitionEvent, RecognitionPolicy
from .common import CHANGE_REASON, PRIVATE_DIRECTOR, grade_of


def _private_director(candidates: list[Kindergarten]) -> None:
    """A demo login for a non-profit private kindergarten not yet recognised (to try applying)."""
    if not candidates or User.objects.filter(username=PRIVATE_DIRECTOR).exists():
        return
    user = User(username=PRIVATE_DIRECTOR, role=Role.DIRECTOR, kindergarten=candidates[0], first_name="陈静")
    user.set_password(DEMO_PASSWORD)
    user.save()


def seed_recognitions(rng: random.Random, demo: list[Kindergarten], today: datetime.date) -> str:
    """Added only while the demo kindergartens have no recognition (idempotent)."""
    if not demo or Recognition.objects.filter(kindergarten__in=demo).exists():
        return "普惠认定 0 条"
    policy = RecognitionPolicy.objects.for_day(today)
    conditions = list(policy.conditions) if policy else []
    bureau = User.objects.filter(username="bureau").first()
    recognised = [k for k in demo if k.inclusive_status == InclusiveStatus.INCLUSIVE_PRIVATE and k.recognition_date]
    waiting = [
        k
        for k in demo
        if k.sponsor_type == SponsorType.PRIVATE_NONPROFIT and k.inclusive_status != InclusiveStatus.INCLUSIVE_PRIVATE
    ]
    _private_director(waiting[6:])  # the first six get applications below; the demo director's has none
    rows: list[Recognition] = []
    steps: list[tuple[int, str, datetime.date, str]] = []  # (row index, action, day, note)

    def add(kindergarten: Kindergarten, status: str, applied_on: datetime.date, **fields) -> int:
        rows.append(
            Recognition(
                kindergarten=kindergarten,
                status=status,
                grade=grade_of(rng),
                monthly_fee=Decimal(rng.choice(["600", "650", "700", "750"])),
                conditions_met=fields.pop("conditions_met", conditions),
                conditions_total=len(conditions),
                applied_on=applied_on,
                **fields,
            )
        )
        return len(rows) - 1

    lapsed = [k for k in recognised if k.recognition_expiry and k.recognition_expiry <= today]
    revoked = set(k.pk for k in lapsed[:2])
    for kindergarten in recognised:
        start, end = kindergarten.recognition_date, kindergarten.recognition_expiry
        applied = start - datetime.timedelta(days=rng.randint(40, 90))
        status = RecognitionStatus.REVOKED if kindergarten.pk in revoked else RecognitionStatus.RECOGNISED
        i = add(
            kindergarten,
            status,
            applied,
            subdistrict_opinion=Opinion.AGREE,
            subdistrict_note="街道核实办园情况，同意认定",
            valid_from=start,
            valid_to=end,
            revoked_on=end if status == RecognitionStatus.REVOKED else None,
            last_reviewed_on=start + datetime.timedelta(days=365) if (today - start).days > 400 else None,
        )
        steps += [
            (i, RecognitionAction.APPLIED, applied, ""),
            (i, RecognitionAction.OPINION, applied + datetime.timedelta(days=20), "同意 街道核实办园情况，同意认定"),
            (i, RecognitionAction.RECOGNISED, start, "经区教委审核，认定为普惠性民办园"),
        ]
        if rows[i].last_reviewed_on:
            steps.append((i, RecognitionAction.REVIEWED, rows[i].last_reviewed_on, "复核通过"))
        if status == RecognitionStatus.REVOKED:
            steps.append((i, RecognitionAction.REVOKED, end, "年度复核发现超标准收费，撤销认定"))
    plans = [  # (status, days ago applied, opinion, conditions met)
        (RecognitionStatus.APPLIED, 6, "", conditions),
        (RecognitionStatus.APPLIED, 15, "", conditions[:-1]),
        (RecognitionStatus.AWAITING_REVIEW, 35, Opinion.AGREE, conditions),
        (RecognitionStatus.AWAITING_REVIEW, 28, Opinion.AGREE, conditions),
        (RecognitionStatus.REJECTED, 120, Opinion.DISAGREE, conditions[:4]),
        (RecognitionStatus.AWAITING_REVIEW, 50, Opinion.DISAGREE, conditions[:5]),
    ]
    for kindergarten, (status, ago, opinion, met) in zip(waiting, plans, strict=False):
        applied = today - datetime.timedelta(days=ago)
        note = "街道核实办园情况，同意认定" if opinion == Opinion.AGREE else ("班额超标，暂不同意" if opinion else "")
        i = add(kindergarten, status, applied, subdistrict_opinion=opinion, subdistrict_note=note, conditions_met=met)
        steps.append((i, RecognitionAction.APPLIED, applied, ""))
        if opinion:
            label = Opinion(opinion).label
            steps.append((i, RecognitionAction.OPINION, applied + datetime.timedelta(days=14), f"{label} {note}"))
        if status == RecognitionStatus.REJECTED:
            steps.append((i, RecognitionAction.REJECTED, applied + datetime.timedelta(days=40), "认定条件不具备"))
    for row in rows:
        row.full_clean()
    bulk_create_with_history(rows, Recognition, default_change_reason=CHANGE_REASON)
    saved = list(Recognition.objects.filter(kindergarten__in=[r.kindergarten for r in rows]).order_by("pk"))
    by_kindergarten = {r.kindergarten_id: r for r in saved}
    events = [
        RecognitionEvent(
            recognition=by_kindergarten[rows[i].kindergarten_id],
            action=action,
            day=day,
            note=note,
            by=None if action == RecognitionAction.APPLIED else bureau,
        )
        for i, action, day, note in steps
    ]
    bulk_create_with_history(events, RecognitionEvent, default_change_reason=CHANGE_REASON)
    return f"普惠认定 {len(rows)} 条"
