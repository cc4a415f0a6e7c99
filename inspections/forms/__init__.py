"""The forms of quality evaluation, one module per sub-domain; this package only re-exports them.

Forms collect input; the services decide and write. `common` holds the per-point ratings form
and upload fields the self-assessment and external-evaluation forms share.
"""

from .common import (
    DATE_WIDGET,
    MultipleFileField,
    MultipleFileInput,
    PointRatingsForm,
    files_field,
    level_field,
    note_field,
)
from .cycles import CycleAssignmentForm, EvaluationCycleForm
from .framework import AssessmentPointForm, FrameworkCopyForm, FrameworkVersionForm, PointsImportForm
from .self_assessments import ReviewForm, SelfAssessmentForm

__all__ = [
    "DATE_WIDGET",
    "AssessmentPointForm",
    "CycleAssignmentForm",
    "EvaluationCycleForm",
    "FrameworkCopyForm",
    "FrameworkVersionForm",
    "MultipleFileField",
    "MultipleFileInput",
    "PointRatingsForm",
    "PointsImportForm",
    "ReviewForm",
    "SelfAssessmentForm",
    "files_field",
    "level_field",
    "note_field",
]
