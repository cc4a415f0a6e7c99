"""Every write of the safety app, one module per sub-domain; this package only re-exports them."""

from .hazards import hazard_close, hazard_open, hazard_send_back, hazard_start, hazard_submit
from .profiles import drill_record, may_keep_profile, profile_of, profile_save
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

__all__ = [
    "EscalationSummary",
    "drill_record",
    "hazard_close",
    "hazard_open",
    "hazard_send_back",
    "hazard_start",
    "hazard_submit",
    "interview_record",
    "may_keep_profile",
    "notice_record",
    "profile_of",
    "profile_save",
    "rectification_choices",
    "supervision_close_for",
    "supervision_escalate",
    "supervision_link",
    "supervision_open",
    "supervision_open_for",
]
