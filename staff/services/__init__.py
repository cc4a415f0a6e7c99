"""Writes of the staff app, one module per sub-domain; this package only re-exports them."""

from .ethics import ethics_record_save, self_check_save
from .pay import may_file_pay, pay_filing_save
from .principals import course_save, post_on, stage_record, validated_save
from .research import activity_record, cluster_save, pairing_review_save, pairing_save, team_save
from .training import (
    attendance_columns,
    attendance_import,
    may_keep,
    title_application_add,
    title_application_decide,
    training_record_add,
)

__all__ = [
    "activity_record",
    "attendance_columns",
    "attendance_import",
    "cluster_save",
    "course_save",
    "ethics_record_save",
    "may_file_pay",
    "may_keep",
    "pairing_review_save",
    "pairing_save",
    "pay_filing_save",
    "post_on",
    "self_check_save",
    "stage_record",
    "team_save",
    "title_application_add",
    "title_application_decide",
    "training_record_add",
    "validated_save",
]
