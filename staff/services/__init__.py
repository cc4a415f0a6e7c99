"""Writes of the staff app, one module per sub-domain; this package only re-exports them."""

from .ethics import ethics_record_save, self_check_save
from .pay import may_file_pay, pay_filing_save
from .principals import course_save, post_on, stage_record, validated_save
from .research import activity_record, cluster_save, pairing_review_save, pairing_save, team_save

__all__ = [
    "activity_record",
    "cluster_save",
    "course_save",
    "ethics_record_save",
    "may_file_pay",
    "pairing_review_save",
    "pairing_save",
    "pay_filing_save",
    "post_on",
    "self_check_save",
    "stage_record",
    "team_save",
    "validated_save",
]
