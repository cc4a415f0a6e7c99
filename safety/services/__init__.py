"""Every write of the safety app, one module per sub-domain; this package only re-exports them."""

from .hazards import hazard_close, hazard_open, hazard_send_back, hazard_start, hazard_submit
from .profiles import drill_record, may_keep_profile, profile_of, profile_save
from .rules import RULE_FIELDS, rule_set_editable, rule_set_supersede, rule_set_update, rule_set_values, start_error
from .supervision import (
    EscalationSummary,
    interview_record,
    notice_record,
    rectification_choices,
    supervision_close_for,
    supervision_escalate,
    supervision_link,
    supervision_open,
    supervision_open_for,
)
from .transfer import ImportResult, import_safety_profiles

__all__ = [
    "RULE_FIELDS",
    "EscalationSummary",
    "ImportResult",
    "drill_record",
    "hazard_close",
    "hazard_open",
    "hazard_send_back",
    "hazard_start",
    "hazard_submit",
    "import_safety_profiles",
    "interview_record",
    "may_keep_profile",
    "notice_record",
    "profile_of",
    "profile_save",
    "rectification_choices",
    "rule_set_editable",
    "rule_set_supersede",
    "rule_set_update",
    "rule_set_values",
    "start_error",
    "supervision_close_for",
    "supervision_escalate",
    "supervision_link",
    "supervision_open",
    "supervision_open_for",
]
