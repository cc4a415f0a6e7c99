"""Writes of the staff app, one module per sub-domain; this package only re-exports them."""

from .pay import may_file_pay, pay_filing_save
from .principals import course_save, post_on, stage_record, validated_save

__all__ = ["course_save", "may_file_pay", "pay_filing_save", "post_on", "stage_record", "validated_save"]
