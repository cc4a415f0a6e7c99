"""The governance FilterSets, one module per sub-domain; this package only re-exports them."""

from .credit import CreditRecordFilterSet
from .fees import FeeAlertFilterSet, FeeFilingFilterSet
from .recognitions import RecognitionFilterSet
from .subsidies import AidRecipientFilterSet, DisbursementFilterSet

__all__ = [
    "AidRecipientFilterSet",
    "CreditRecordFilterSet",
    "DisbursementFilterSet",
    "FeeAlertFilterSet",
    "FeeFilingFilterSet",
    "RecognitionFilterSet",
]
