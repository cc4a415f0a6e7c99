"""Every write of the safety app, one module per sub-domain; this package only re-exports them."""

from .checks import (
    check_kind_for,
    check_save,
    check_start,
    check_submit,
    checklist_item_delete,
    checklist_item_save,
    checklist_template_create,
    checklist_template_update,
    checklist_version_copy,
    checklist_version_delete,
    checklist_version_publish,
    checklist_version_update,
    first_unanswered,
    may_run_check,
)
from .footage import (
    footage_handover_record,
    footage_request_correct,
    footage_request_decide,
    footage_request_delete,
    footage_request_record,
    footage_request_update,
)
from .hazards import hazard_close, hazard_open, hazard_send_back, hazard_start, hazard_submit
from .incidents import dispute_record, dispute_update, incident_record, incident_update, mediation_record
from .posts import post_record, post_update
from .profiles import drill_record, may_keep_profile, profile_of, profile_save
from .rules import RULE_FIELDS, rule_set_editable, rule_set_supersede, rule_set_update, rule_set_values, start_error
from .transfer import ImportResult, import_safety_profiles

__all__ = [
    "RULE_FIELDS",
    "ImportResult",
    "check_kind_for",
    "check_save",
    "check_start",
    "check_submit",
    "checklist_item_delete",
    "checklist_item_save",
    "checklist_template_create",
    "checklist_template_update",
    "checklist_version_copy",
    "checklist_version_delete",
    "checklist_version_publish",
    "checklist_version_update",
    "dispute_record",
    "dispute_update",
    "drill_record",
    "first_unanswered",
    "footage_handover_record",
    "footage_request_correct",
    "footage_request_decide",
    "footage_request_delete",
    "footage_request_record",
    "footage_request_update",
    "hazard_close",
    "hazard_open",
    "hazard_send_back",
    "hazard_start",
    "hazard_submit",
    "import_safety_profiles",
    "incident_record",
    "incident_update",
    "may_keep_profile",
    "may_run_check",
    "mediation_record",
    "post_record",
    "post_update",
    "profile_of",
    "profile_save",
    "rule_set_editable",
    "rule_set_supersede",
    "rule_set_update",
    "rule_set_values",
    "start_error",
]
