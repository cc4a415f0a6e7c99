"""The django-tables2 tables of the list pages, one module per sub-domain; this package only
re-exports them."""

from .cycles import CycleAssignmentTable
from .enforcement import ConductCaseTable, RectificationOrderTable, UnlicensedCaseTable
from .evaluations import ExternalEvaluationTable
from .issues import QualityIssueTable
from .self_assessments import SelfAssessmentTable

__all__ = [
    "ConductCaseTable",
    "CycleAssignmentTable",
    "ExternalEvaluationTable",
    "QualityIssueTable",
    "RectificationOrderTable",
    "SelfAssessmentTable",
    "UnlicensedCaseTable",
]
