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
from .hazards import hazard_close, hazard_open, hazard_send_back, hazard_start, hazard_submit
from .profiles import drill_record, may_keep_profile, profile_of, profile_save

__all__ = [
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
    "drill_record",
    "first_unanswered",
    "hazard_close",
    "hazard_open",
    "hazard_send_back",
    "hazard_start",
    "hazard_submit",
    "may_keep_profile",
    "may_run_check",
    "profile_of",
    "profile_save",
]
