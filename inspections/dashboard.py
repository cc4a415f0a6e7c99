"""The quality-evaluation panel of the officials' dashboard: the current cycle's coverage and the
issue lists' state, for the district or one sub-district, in a constant three queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from .choices import IssueStatus
from .coverage import Coverage
from .models import CycleAssignment, EvaluationCycle, QualityIssue


@dataclass(frozen=True)
class QualityPanel:
    cycle: EvaluationCycle | None
    coverage: dict[str, int]
    open_issues: int
    overdue_issues: int

    @property
    def evaluation_coverage(self) -> Coverage:
        """The cycle's evaluation coverage, by the one definition (`inspections.coverage`)."""
        return Coverage(evaluated=self.coverage.get("evaluated") or 0, planned=self.coverage.get("assigned") or 0)

    @property
    def evaluated_share(self) -> Decimal | None:
        """Per cent of the cycle's planned kindergartens evaluated so far (one decimal, cut)."""
        return self.evaluation_coverage.percent


def quality_panel(user, subdistrict=None, today: datetime.date | None = None) -> QualityPanel:
    today = today or timezone.localdate()
    cycle = EvaluationCycle.objects.current(today)
    assignments = CycleAssignment.objects.restrict(user).filter(cycle=cycle)
    issues = QualityIssue.objects.restrict(user)
    if subdistrict is not None:
        assignments = assignments.filter(kindergarten__subdistrict=subdistrict)
        issues = issues.filter(kindergarten__subdistrict=subdistrict)
    coverage = assignments.coverage_totals(today) if cycle else {}
    unresolved = ~Q(status=IssueStatus.VERIFIED)
    counts = issues.aggregate(
        open=Count("id", filter=unresolved), overdue=Count("id", filter=unresolved & Q(deadline__lt=today))
    )
    return QualityPanel(cycle=cycle, coverage=coverage, open_issues=counts["open"], overdue_issues=counts["overdue"])
