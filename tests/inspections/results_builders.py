"""A small district with published and unpublished results, for the use-of-results tests.

Hand-counted (cycle of this year; A, B, E in 望京; C, D, F in 双井; every one planned):

| kg | ownership / sponsor | evaluation | unresolved issues (overdue) |
|---|---|---|---|
| A | public, education bureau | published, 优秀 (rated 4) | 1 (0) + 1 verified |
| B | public, education bureau | published, 合格 (rated 2) | 2 (2) |
| C | public, education bureau | submitted, 良好 — not a result | 1 (1) |
| D | private non-profit | published, 良好 | 0 |
| E | private for-profit | published, 不合格 | 0 |
| F | public, education bureau | none | 0 |
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from inspections.choices import EvaluationStatus, IssueStatus, ResultGrade
from inspections.models import EvaluationCycle, ExternalEvaluation, QualityIssue
from kindergartens.choices import InclusiveStatus, SponsorType
from kindergartens.models import Kindergarten
from tests.factories import KindergartenFactory

from .factories import assign, cycle, external_evaluation, quality_issue

PAST = timezone.localdate() - datetime.timedelta(days=5)
SUMMARY_A = "保教结合落实到位，师幼互动质量高。"
FINDINGS = "区域活动材料丰富，教师观察记录完整"


@dataclass
class World:
    cycle: EvaluationCycle
    kgs: dict[str, Kindergarten]
    evaluations: dict[str, ExternalEvaluation]
    issues: dict[str, QualityIssue]


def build_world(kg_a, kg_b, kg_c, *, by=None) -> World:
    wangjing, shuangjing = kg_a.subdistrict, kg_c.subdistrict
    kg_d = KindergartenFactory(
        code="KGD0001",
        name="双井启明幼儿园",
        subdistrict=shuangjing,
        sponsor_type=SponsorType.PRIVATE_NONPROFIT,
        inclusive_status=InclusiveStatus.INCLUSIVE_PRIVATE,
        recognition_date="2022-09-01",
    )
    kg_e = KindergartenFactory(
        code="KGE0001",
        name="望京小橡树幼儿园",
        subdistrict=wangjing,
        sponsor_type=SponsorType.PRIVATE_FORPROFIT,
        inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE,
    )
    kg_f = KindergartenFactory(code="KGF0001", name="双井第二幼儿园", subdistrict=shuangjing)
    evaluation_cycle = cycle(by=by)
    kgs = {"A": kg_a, "B": kg_b, "C": kg_c, "D": kg_d, "E": kg_e, "F": kg_f}
    for kindergarten in kgs.values():
        assign(evaluation_cycle, kindergarten)
    published = EvaluationStatus.PUBLISHED
    evaluations = {
        "A": external_evaluation(
            evaluation_cycle, kg_a, status=published, grade=ResultGrade.EXCELLENT, value=4, findings=FINDINGS
        ),
        "B": external_evaluation(evaluation_cycle, kg_b, status=published, grade=ResultGrade.QUALIFIED, value=2),
        "C": external_evaluation(
            evaluation_cycle, kg_c, status=EvaluationStatus.SUBMITTED, grade=ResultGrade.GOOD, value=3
        ),
        "D": external_evaluation(evaluation_cycle, kg_d, status=published, grade=ResultGrade.GOOD, value=3),
        "E": external_evaluation(evaluation_cycle, kg_e, status=published, grade=ResultGrade.UNQUALIFIED, value=1),
    }
    ExternalEvaluation.objects.filter(pk=evaluations["A"].pk).update(summary=SUMMARY_A)
    evaluations["A"].refresh_from_db()
    issues = {
        "A_open": quality_issue(evaluation_cycle, kg_a, evaluation=evaluations["A"], description="户外活动时间不足"),
        "A_verified": quality_issue(
            evaluation_cycle,
            kg_a,
            evaluation=evaluations["A"],
            description="午睡室通风记录缺失",
            deadline=PAST,
            status=IssueStatus.VERIFIED,
        ),
        "B_open": quality_issue(evaluation_cycle, kg_b, evaluation=evaluations["B"], deadline=PAST),
        "B_reported": quality_issue(
            evaluation_cycle, kg_b, evaluation=evaluations["B"], deadline=PAST, status=IssueStatus.REPORTED
        ),
        "C_open": quality_issue(evaluation_cycle, kg_c, deadline=PAST, description="晨检记录不完整"),
    }
    return World(cycle=evaluation_cycle, kgs=kgs, evaluations=evaluations, issues=issues)
