"""Reminders: the daily job that turns due and overdue work into notifications and emails, and
marking notifications read.

`send_reminders()` reads the quality-evaluation records (inspections.models), decides who is
told what, inserts the notifications with the unique (recipient, dedupe_key) pair doing the
de-duplication, then emails the new ones. Running it twice on a day creates and sends nothing
the second time. Who is told:

| kind | when | told |
|---|---|---|
| self_assessment_due | due within 14 days, nothing submitted (current cycles) | the kindergarten's director(s) |
| self_assessment_overdue | due date passed, nothing submitted (current cycles) | director(s), the sub-district's officials |
| self_assessment_returned | returned by the bureau, revision not submitted yet | director(s) |
| issue_due | issue open (not reported) with its deadline within 7 days | director(s) |
| issue_overdue | issue not verified after its deadline | director(s), the sub-district's officials |
| order_due | rectification order open, deadline within 7 days | director(s), the user who issued it (usually an inspector) |
| order_overdue | rectification order open after its deadline | director(s), the user who issued it (usually an inspector) |
| hazard_overdue, drill_missing, alarm_untested | safety: see `notifications.reminders.safety` | director(s); an overdue hazard also its opener and the assigned inspectors |
| certificate_expiring, certificate_expired | staff: see `notifications.reminders.staff` | the director(s) of each kindergarten where the holder is in post |
| recognition_expiring, recognition_review_due, fee_filing_missing | governance: see `notifications.reminders.governance` | director(s); a lapsed recognition also the sub-district's officials |

Bureau staff get no reminders: the district-wide overdue lists and the dashboard show them
every escalation, and a daily email per late kindergarten would bury them.

Each reminder is sent once per record and deadline; a deadline that moves is a new reminder.
The number of queries does not grow with the number of kindergartens: one query per source
(assignments, returned self-assessments, issues, orders, the safety and staff sources), one for the recipients, then the
inserts and the email bookkeeping.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import audience
from inspections.choices import AssessmentStatus, IssueStatus, OrderStatus
from inspections.models import (
    CycleAssignment,
    QualityIssue,
    RectificationOrder,
    SelfAssessment,
    submitted_self_assessment,
)

from .choices import NotificationKind
from .models import Notification, is_local_path
from .reminders import (
    Reminder,
    certificate_reminders,
    days_late,
    days_left,
    enrollment_reminders,
    governance_reminders,
    safety_reminders,
    short,
)

logger = logging.getLogger(__name__)

# How far ahead a deadline is announced.
SELF_ASSESSMENT_NOTICE_DAYS = 14
DEADLINE_NOTICE_DAYS = 7
# A notification whose email failed is tried again by the next run within this window.
EMAIL_RETRY_WINDOW = datetime.timedelta(days=1, hours=12)
# The existence check of dedupe keys is split so no database meets too many parameters.
KEY_CHUNK = 1000


@dataclass
class ReminderSummary:
    today: datetime.date
    created: Counter = field(default_factory=Counter)  # kind → notifications created
    emailed: int = 0
    email_failed: int = 0

    @property
    def created_total(self) -> int:
        return sum(self.created.values())

    def as_dict(self) -> dict:
        return {
            "date": self.today.isoformat(),
            "created": self.created_total,
            "by_kind": {str(kind): n for kind, n in sorted(self.created.items())},
            "emailed": self.emailed,
            "email_failed": self.email_failed,
        }


# --- what is due ---------------------------------------------------------------------------------


def self_assessment_reminders(today: datetime.date) -> list[Reminder]:
    """Assignments of current cycles whose self-assessment is due soon or late and not submitted
    (a returned version does not count as submitted)."""
    horizon = today + datetime.timedelta(days=SELF_ASSESSMENT_NOTICE_DAYS)
    assignments = (
        CycleAssignment.objects.filter(cycle__end_year__gte=today.year, self_assessment_due__lte=horizon)
        .exclude(submitted_self_assessment())
        .select_related("kindergarten", "cycle")
        .order_by("self_assessment_due", "pk")
    )
    mine = reverse("inspections:self_assessment_mine")
    overdue_list = reverse("inspections:self_assessment_overdue")
    reminders = []
    for assignment in assignments:
        kindergarten, due = assignment.kindergarten, assignment.self_assessment_due
        names = {"kindergarten": kindergarten.name, "cycle": assignment.cycle.name, "due": due.isoformat()}
        common = {"kindergarten_id": kindergarten.pk, "subdistrict_id": kindergarten.subdistrict_id, "link": mine}
        if due >= today:
            reminders.append(
                Reminder(
                    kind=NotificationKind.SELF_ASSESSMENT_DUE,
                    key=f"{NotificationKind.SELF_ASSESSMENT_DUE}:{assignment.pk}:{due.isoformat()}",
                    title=_("自评即将截止：%(kindergarten)s") % names,
                    body=_("%(kindergarten)s在“%(cycle)s”中的自评须于 %(due)s 前提交（%(left)s），目前尚未提交。")
                    % {**names, "left": days_left((due - today).days)},
                    **common,
                )
            )
        else:
            reminders.append(
                Reminder(
                    kind=NotificationKind.SELF_ASSESSMENT_OVERDUE,
                    key=f"{NotificationKind.SELF_ASSESSMENT_OVERDUE}:{assignment.pk}:{due.isoformat()}",
                    title=_("自评已逾期：%(kindergarten)s") % names,
                    body=_("%(kindergarten)s在“%(cycle)s”中的自评截止日期为 %(due)s，%(late)s，尚未提交。")
                    % {**names, "late": days_late((today - due).days)},
                    official_link=overdue_list,
                    **common,
                )
            )
    return reminders


def returned_self_assessment_reminders(today: datetime.date) -> list[Reminder]:
    """Versions the bureau returned whose revision has not been submitted (not started, or a draft)."""
    returned = (
        SelfAssessment.objects.filter(status=AssessmentStatus.RETURNED, cycle__end_year__gte=today.year)
        .exclude(
            revision__status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED, AssessmentStatus.RETURNED]
        )
        .select_related("kindergarten", "cycle")
        .order_by("pk")
    )
    reminders = []
    for assessment in returned:
        kindergarten = assessment.kindergarten
        names = {"kindergarten": kindergarten.name, "cycle": assessment.cycle.name, "version": assessment.version}
        body = (
            _("%(kindergarten)s在“%(cycle)s”中的自评（第 %(version)s 版）已被区教委退回，请按审核意见修订后重新提交。")
            % names
        )
        if assessment.review_comment:
            body += _("审核意见：%(comment)s") % {"comment": short(assessment.review_comment, 200)}
        reminders.append(
            Reminder(
                kind=NotificationKind.SELF_ASSESSMENT_RETURNED,
                key=f"{NotificationKind.SELF_ASSESSMENT_RETURNED}:{assessment.pk}",
                title=_("自评被退回：%(kindergarten)s") % names,
                body=body,
                kindergarten_id=kindergarten.pk,
                subdistrict_id=kindergarten.subdistrict_id,
                link=assessment.get_absolute_url(),
            )
        )
    return reminders


def issue_reminders(today: datetime.date) -> list[Reminder]:
    """Issues due within 7 days that still wait for the director's improvement, and issues not
    verified after their deadline (these escalate to the sub-district, as the issue list does)."""
    horizon = today + datetime.timedelta(days=DEADLINE_NOTICE_DAYS)
    issues = (
        QualityIssue.objects.unresolved()
        .filter(deadline__lte=horizon)
        .filter(Q(deadline__lt=today) | Q(status=IssueStatus.OPEN))
        .select_related("kindergarten", "point")
        .order_by("deadline", "pk")
    )
    reminders = []
    for issue in issues:
        kindergarten, deadline = issue.kindergarten, issue.deadline
        link = issue.get_absolute_url()
        names = {
            "kindergarten": kindergarten.name,
            "description": short(issue.description),
            "point": issue.point,
            "deadline": deadline.isoformat(),
        }
        common = {"kindergarten_id": kindergarten.pk, "subdistrict_id": kindergarten.subdistrict_id, "link": link}
        if deadline >= today:
            reminders.append(
                Reminder(
                    kind=NotificationKind.ISSUE_DUE,
                    key=f"{NotificationKind.ISSUE_DUE}:{issue.pk}:{deadline.isoformat()}",
                    title=_("问题整改即将到期：%(kindergarten)s") % names,
                    body=_(
                        "问题“%(description)s”（考查要点：%(point)s）的整改期限为 %(deadline)s（%(left)s），请按时报告整改成效。"
                    )
                    % {**names, "left": days_left((deadline - today).days)},
                    **common,
                )
            )
        else:
            reminders.append(
                Reminder(
                    kind=NotificationKind.ISSUE_OVERDUE,
                    key=f"{NotificationKind.ISSUE_OVERDUE}:{issue.pk}:{deadline.isoformat()}",
                    title=_("问题整改已逾期：%(kindergarten)s") % names,
                    body=_(
                        "%(kindergarten)s的问题“%(description)s”（考查要点：%(point)s）整改期限为 %(deadline)s，%(late)s，尚未通过验证。"
                    )
                    % {**names, "late": days_late((today - deadline).days)},
                    official_link=link,
                    **common,
                )
            )
    return reminders


def order_reminders(today: datetime.date) -> list[Reminder]:
    """Open rectification orders due within 7 days or past their deadline."""
    horizon = today + datetime.timedelta(days=DEADLINE_NOTICE_DAYS)
    orders = (
        RectificationOrder.objects.filter(status=OrderStatus.OPEN, deadline__lte=horizon)
        .select_related("kindergarten")
        .order_by("deadline", "pk")
    )
    reminders = []
    for order in orders:
        kindergarten, deadline = order.kindergarten, order.deadline
        names = {
            "kindergarten": kindergarten.name,
            "reason": order.get_reason_display(),
            "deadline": deadline.isoformat(),
        }
        common = {
            "kindergarten_id": kindergarten.pk,
            "subdistrict_id": kindergarten.subdistrict_id,
            "link": order.get_absolute_url(),
            "user_ids": (order.issued_by_id,) if order.issued_by_id else (),
        }
        if deadline >= today:
            reminders.append(
                Reminder(
                    kind=NotificationKind.ORDER_DUE,
                    key=f"{NotificationKind.ORDER_DUE}:{order.pk}:{deadline.isoformat()}",
                    title=_("整改通知即将到期：%(kindergarten)s") % names,
                    body=_("%(kindergarten)s的整改通知（%(reason)s）整改期限为 %(deadline)s（%(left)s）。")
                    % {**names, "left": days_left((deadline - today).days)},
                    **common,
                )
            )
        else:
            reminders.append(
                Reminder(
                    kind=NotificationKind.ORDER_OVERDUE,
                    key=f"{NotificationKind.ORDER_OVERDUE}:{order.pk}:{deadline.isoformat()}",
                    title=_("整改通知已逾期：%(kindergarten)s") % names,
                    body=_("%(kindergarten)s的整改通知（%(reason)s）整改期限为 %(deadline)s，%(late)s，尚未整改完成。")
                    % {**names, "late": days_late((today - deadline).days)},
                    **common,
                )
            )
    return reminders


def collect_reminders(today: datetime.date) -> list[Reminder]:
    return [
        *self_assessment_reminders(today),
        *returned_self_assessment_reminders(today),
        *issue_reminders(today),
        *order_reminders(today),
        *safety_reminders(today),
        *enrollment_reminders(today),
        *certificate_reminders(today),
        *governance_reminders(today),
    ]


# --- who is told ---------------------------------------------------------------------------------


def address(reminders: Iterable[Reminder]) -> list[Notification]:
    """One unsaved notification per reminder and recipient, the recipients found in one query.

    Only active users are told; a person who would be told twice about the same thing (say a
    director who also issued the order) gets it once.
    """
    reminders = list(reminders)
    if not reminders:
        return []
    # Who is told is the permission layer's answer: directors of the kindergarten, officials of
    # its sub-district, and named people (an order's issuer) only while they may still see it.
    directors, officials, followers = audience(
        kindergarten_ids={r.kindergarten_id for r in reminders},
        subdistrict_ids={r.subdistrict_id for r in reminders if r.official_link},
        named={pk for r in reminders for pk in r.user_ids},
    )

    now = timezone.now()
    rows: dict[tuple[int, str], Notification] = {}
    for reminder in reminders:
        recipients = [(pk, reminder.link) for pk in directors.get(reminder.kindergarten_id, [])]
        recipients += [(pk, reminder.link) for pk in reminder.user_ids if (pk, reminder.kindergarten_id) in followers]
        if reminder.official_link:
            recipients += [(pk, reminder.official_link) for pk in officials.get(reminder.subdistrict_id, [])]
        for pk, link in recipients:
            if not is_local_path(link):  # links come from reverse(); never send anyone off-site
                link = ""
            rows.setdefault(
                (pk, reminder.key),
                Notification(
                    recipient_id=pk,
                    kind=reminder.kind,
                    title=Truncator(reminder.title).chars(200),
                    body=reminder.body,
                    link=link,
                    dedupe_key=reminder.key,
                    created_at=now,
                ),
            )
    return list(rows.values())


@transaction.atomic
def create_new(notifications: list[Notification]) -> list[Notification]:
    """Inserts the notifications nobody has received yet; returns those (the unique pair makes a
    concurrent run's duplicates vanish too)."""
    keys = sorted({n.dedupe_key for n in notifications})
    existing: set[tuple[int, str]] = set()
    for start in range(0, len(keys), KEY_CHUNK):
        existing.update(
            Notification.objects.filter(dedupe_key__in=keys[start : start + KEY_CHUNK]).values_list(
                "recipient_id", "dedupe_key"
            )
        )
    new = [n for n in notifications if (n.recipient_id, n.dedupe_key) not in existing]
    Notification.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return new


# --- email ---------------------------------------------------------------------------------------


def _email(notification: Notification, connection) -> EmailMessage:
    recipient = notification.recipient
    url = f"{settings.PORTAL_URL.rstrip('/')}{notification.get_absolute_url()}"
    site = _("朝阳区学前教育管理平台")
    body = "\n\n".join(
        [
            _("%(name)s：") % {"name": recipient.get_full_name() or recipient.username},
            notification.body or notification.title,
            _("查看详情：%(url)s") % {"url": url},
            _("—— %(site)s（系统自动发送，请勿直接回复）") % {"site": site},
        ]
    )
    return EmailMessage(
        subject=f"【{site}】{notification.title}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        connection=connection,
    )


def email_pending(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Emails the recent notifications not emailed yet to recipients who have an address.

    Rows are claimed (emailed_at set) in one UPDATE before anything is sent, so an overlapping
    run cannot send them again; a message the mail server refuses is released for the next run.
    Returns (sent, failed).
    """
    now = now or timezone.now()
    pending = list(
        Notification.objects.filter(
            emailed_at__isnull=True, created_at__gte=now - EMAIL_RETRY_WINDOW, recipient__is_active=True
        )
        .exclude(recipient__email="")
        .values_list("pk", flat=True)
    )
    if not pending:
        return 0, 0
    Notification.objects.filter(pk__in=pending, emailed_at__isnull=True).update(emailed_at=now)
    claimed = list(Notification.objects.filter(pk__in=pending, emailed_at=now).select_related("recipient"))
    sent: list[int] = []
    failed: list[int] = []
    try:
        with get_connection() as connection:
            for notification in claimed:
                try:
                    connection.send_messages([_email(notification, connection)])
                except (smtplib.SMTPException, OSError, ValueError):
                    logger.exception("Reminder email %s to user %s failed", notification.pk, notification.recipient_id)
                    failed.append(notification.pk)
                else:
                    sent.append(notification.pk)
    except (smtplib.SMTPException, OSError):
        # The mail server could not be reached (or the connection broke): release what was not sent.
        logger.exception("Reminder emails: the mail server could not be used")
        done = set(sent)
        failed = [n.pk for n in claimed if n.pk not in done]
    if failed:
        Notification.objects.filter(pk__in=failed).update(emailed_at=None)
    return len(sent), len(failed)


# --- the daily job -------------------------------------------------------------------------------


def send_reminders(*, today: datetime.date | None = None) -> ReminderSummary:
    """Creates today's new reminders and emails them. Safe to run any number of times a day."""
    today = today or timezone.localdate()
    summary = ReminderSummary(today=today)
    # Texts are stored once and emailed: write them in the portal's language, not the worker's.
    with translation.override(settings.LANGUAGE_CODE):
        created = create_new(address(collect_reminders(today)))
        summary.created.update(n.kind for n in created)
        summary.emailed, summary.email_failed = email_pending()
    logger.info("Reminders for %s: %s", today.isoformat(), summary.as_dict())
    return summary


# --- reading -------------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    if notification.recipient_id != getattr(user, "pk", None):
        raise PermissionDenied(_("只能处理自己的消息。"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())
