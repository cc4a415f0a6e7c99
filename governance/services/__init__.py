"""Every write of the governance app, one module per sub-domain; this package only re-exports them."""

from .credit import credit_appeal_decide, credit_appeal_file, credit_commend, credit_exit, credit_refresh
from .fees import account_register, fee_alert_resolve, fee_alerts_scan, fee_filing_save, summary_file
from .recognitions import (
    recognition_apply,
    recognition_recognise,
    recognition_record_opinion,
    recognition_reject,
    recognition_renew,
    recognition_review,
    recognition_revoke,
)
from .subsidies import aid_recipient_add, disbursement_record, new_place_record, rented_premises_save

__all__ = [
    "account_register",
    "aid_recipient_add",
    "credit_appeal_decide",
    "credit_appeal_file",
    "credit_commend",
    "credit_exit",
    "credit_refresh",
    "disbursement_record",
    "fee_alert_resolve",
    "fee_alerts_scan",
    "fee_filing_save",
    "new_place_record",
    "recognition_apply",
    "recognition_recognise",
    "recognition_record_opinion",
    "recognition_reject",
    "recognition_renew",
    "recognition_review",
    "recognition_revoke",
    "rented_premises_save",
    "summary_file",
]
