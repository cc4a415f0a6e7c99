"""Every write of the quality-evaluation app, one module per sub-domain; this package only re-exports.

Pages, the API, the demo seeder and the tests all go through these functions, so the rules
live in one place; who may act is asked of `accounts.permissions`, and each change is recorded
in the model's history with the user who made it. `framework` (handbook versions, points, their
Excel import), `cycles` (the three-year plan), `self_assessments`, `evaluations` (teams,
assignment, the visit record, review), `issues` (issue lists and improvement), `enforcement`
(orders and cases); `common` holds the helpers they share (history user, attachments, the
`RatingBook` of per-point ratings). The newer sub-domains are used as modules
(`services.evaluations.evaluation_save`); the older ones are re-exported here by name too.
"""

from . import enforcement, evaluations, issues
from .common import RatingBook, ensure_may, point_key, validated_save, with_user
from .cycles import (
    cycle_assign_kindergartens,
    cycle_assignment_update,
    evaluation_cycle_create,
    evaluation_cycle_update,
)
from .framework import (
    PointImportResult,
    assessment_point_create,
    assessment_point_delete,
    assessment_point_move,
    assessment_point_update,
    framework_version_copy,
    framework_version_delete,
    framework_version_publish,
    framework_version_update,
    import_assessment_points,
)
from .self_assessments import (
    IncompleteAssessment,
    RatingInput,
    missing_points,
    self_assessment_accept,
    self_assessment_attachment_add,
    self_assessment_attachment_delete,
    self_assessment_return,
    self_assessment_revise,
    self_assessment_save,
    self_assessment_start,
    self_assessment_submit,
)

__all__ = [
    "IncompleteAssessment",
    "PointImportResult",
    "RatingBook",
    "RatingInput",
    "assessment_point_create",
    "assessment_point_delete",
    "assessment_point_move",
    "assessment_point_update",
    "cycle_assign_kindergartens",
    "cycle_assignment_update",
    "enforcement",
    "ensure_may",
    "evaluation_cycle_create",
    "evaluation_cycle_update",
    "evaluations",
    "framework_version_copy",
    "framework_version_delete",
    "framework_version_publish",
    "framework_version_update",
    "import_assessment_points",
    "issues",
    "missing_points",
    "point_key",
    "self_assessment_accept",
    "self_assessment_attachment_add",
    "self_assessment_attachment_delete",
    "self_assessment_return",
    "self_assessment_revise",
    "self_assessment_save",
    "self_assessment_start",
    "self_assessment_submit",
    "validated_save",
    "with_user",
]
