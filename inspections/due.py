"""What quality evaluation and enforcement ask of each user on their home page (see `common.due`).

- A director: the self-assessment of each current cycle while not submitted (due, late, or
  returned by the bureau), the issues waiting for their improvement report, the open
  rectification orders of their kindergarten — each with its deadline.
- An inspector: the evaluations of their teams still being recorded, the issues of their assigned
  kindergartens waiting for verification, and the open orders they issued (follow-ups).
- Those who watch a dashboard: how many self-assessments, issues and orders in their scope are late.

A fixed number of queries per role (three), whatever the data.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, Min, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.permissions import Act, may
from common.due import DueItem, Severity, register_due_provider

from .choices import AssessmentStatus, EvaluationStatus, IssueStatus, OrderStatus
from .models import CycleAssignment, ExternalEvaluation, QualityIssue, RectificationOrder, SelfAssessment
from .models.cycles import submitted_self_assessment

QUALITY = gettext_lazy("质量评估")
ENFORCEMENT = gettext_lazy("整改通知")


def _dated(due: datetime.date | None, today: datetime.date) -> dict:
    late = max(0, (today - due).days) if due else 0
    severity = Severity.NOTICE if due is None else (Severity.LATE if late else Severity.DUE)
    return {"due_on": due, "days_late": late, "severity": severity}


@register_due_provider
def quality_due(user, today: datetime.date) -> list[DueItem]:
    if may(user, Act.FILL):
        return _director(user, today)
    if may(user, Act.RECORD):
        return _inspector(user, today)
    if may(user, Act.DASHBOARD):
        return _watcher(user, today)
    return []


def _director(user, today: datetime.date) -> list[DueItem]:
    returned = SelfAssessment.objects.filter(
        kindergarten=OuterRef("kindergarten"), cycle=OuterRef("cycle"), status=AssessmentStatus.RETURNED
    )
    assignments = (
        CycleAssignment.objects.restrict(user, "view")
        .filter(cycle__end_year__gte=today.year)
        .exclude(submitted_self_assessment())
        .annotate(was_returned=Exists(returned))
        .select_related("cycle")
        .order_by("self_assessment_due", "pk")
    )
    mine = reverse("inspections:self_assessment_mine")
    items = [
        DueItem(
            title=_("%(cycle)s 自评") % {"cycle": a.cycle.name},
            kind=QUALITY,
            url=mine,
            action=_("修改并提交") if a.was_returned else _("去自评"),
            detail=_("已被退回，请修改后重新提交") if a.was_returned else _("尚未提交"),
            **_dated(a.self_assessment_due, today),
        )
        for a in assignments
    ]
    issues = (
        QualityIssue.objects.restrict(user, "view")
        .filter(status=IssueStatus.OPEN)
        .select_related("point")
        .order_by("deadline", "pk")
    )
    items += [
        DueItem(
            title=_("整改问题：%(point)s") % {"point": issue.point},
            kind=QUALITY,
            url=reverse("inspections:issue_report", args=[issue.pk]),
            action=_("报告整改成效"),
            detail=" ".join(issue.description.split())[:60],
            **_dated(issue.deadline, today),
        )
        for issue in issues
    ]
    orders = RectificationOrder.objects.restrict(user, "view").filter(status=OrderStatus.OPEN).order_by("deadline")
    items += [
        DueItem(
            title=_("限期整改：%(reason)s") % {"reason": order.get_reason_display()},
            kind=ENFORCEMENT,
            url=order.get_absolute_url(),
            action=_("查看整改要求"),
            detail=_("%(issued)s 下达") % {"issued": order.issued_on.isoformat()} if order.issued_on else "",
            **_dated(order.deadline, today),
        )
        for order in orders
    ]
    return items


def _inspector(user, today: datetime.date) -> list[DueItem]:
    evaluations = (
        ExternalEvaluation.objects.restrict(user, "view")
        .of_teams_with(user)
        .filter(status=EvaluationStatus.DRAFT)
        .select_related("kindergarten")
        .order_by("visit_date", "pk")
    )
    items = [
        DueItem(
            title=_("督导评估：%(kindergarten)s") % {"kindergarten": e.kindergarten.name},
            kind=QUALITY,
            url=e.get_absolute_url(),
            action=_("记录评估"),
            detail=_("评估记录尚未提交") if e.visit_date else _("待定入园日期"),
            date_label=_("入园评估日期"),
            # A visit ahead is a date to keep; once it is past, the record is what is owed.
            due_on=e.visit_date,
            days_late=0,
            severity=Severity.DUE if e.visit_date else Severity.NOTICE,
        )
        for e in evaluations
    ]
    issues = (
        QualityIssue.objects.restrict(user, "view")
        .filter(status=IssueStatus.REPORTED)
        .select_related("kindergarten", "point")
        .order_by("deadline", "pk")
    )
    items += [
        DueItem(
            title=_("待验证整改：%(kindergarten)s") % {"kindergarten": issue.kindergarten.name},
            kind=QUALITY,
            url=reverse("inspections:issue_verify", args=[issue.pk]),
            action=_("验证"),
            detail=str(issue.point),
            date_label=_("整改期限"),
            due_on=issue.deadline,
            days_late=0,
            severity=Severity.DUE,
        )
        for issue in issues
    ]
    orders = (
        RectificationOrder.objects.restrict(user, "view")
        .filter(status=OrderStatus.OPEN, issued_by=user)
        .select_related("kindergarten")
        .order_by("deadline", "pk")
    )
    items += [
        DueItem(
            title=_("整改跟进：%(kindergarten)s") % {"kindergarten": order.kindergarten.name},
            kind=ENFORCEMENT,
            url=order.get_absolute_url(),
            action=_("跟进检查"),
            detail=order.get_reason_display(),
            **_dated(order.deadline, today),
        )
        for order in orders
    ]
    return items


def _count_item(title: str, url: str, oldest: datetime.date | None, today: datetime.date, kind=QUALITY) -> DueItem:
    """A watcher's line: how many are late (said in `title`), dated by the oldest deadline."""
    return DueItem(
        title=title,
        kind=kind,
        url=url,
        action=_("查看"),
        due_on=oldest,
        days_late=max(0, (today - oldest).days) if oldest else 0,
        severity=Severity.LATE,
        date_label=_("最早截止"),
    )


def _watcher(user, today: datetime.date) -> list[DueItem]:
    items = []
    self_assessments = (
        CycleAssignment.objects.restrict(user, "view")
        .filter(cycle__end_year__gte=today.year)
        .self_assessment_overdue(today)
        .aggregate(n=Count("pk"), oldest=Min("self_assessment_due"))
    )
    if self_assessments["n"]:
        items.append(
            _count_item(
                ngettext("%(n)s 所幼儿园自评逾期未提交", "%(n)s 所幼儿园自评逾期未提交", self_assessments["n"])
                % {"n": self_assessments["n"]},
                reverse("inspections:self_assessment_overdue"),
                self_assessments["oldest"],
                today,
            )
        )
    issues = QualityIssue.objects.restrict(user, "view").overdue(today).aggregate(n=Count("pk"), oldest=Min("deadline"))
    if issues["n"]:
        items.append(
            _count_item(
                ngettext("%(n)s 个问题逾期未整改", "%(n)s 个问题逾期未整改", issues["n"]) % {"n": issues["n"]},
                reverse("inspections:issue_overdue"),
                issues["oldest"],
                today,
            )
        )
    orders = (
        RectificationOrder.objects.restrict(user, "view")
        .overdue(today)
        .aggregate(n=Count("pk"), oldest=Min("deadline"))
    )
    if orders["n"]:
        item = _count_item(
            ngettext("%(n)s 份整改通知逾期未整改", "%(n)s 份整改通知逾期未整改", orders["n"]) % {"n": orders["n"]},
            f"{reverse('inspections:order_list')}?overdue=true",
            orders["oldest"],
            today,
            kind=ENFORCEMENT,
        )
        items.append(item)
    return items
