"""The governance FilterSets, one module per sub-domain; this package only re-exports them."""

from .credit import CreditRecordFilterSet
from .fees import FeeAlertFilterSet, FeeFilingFilterSet
from .recognitions import RecognitionFilterSet
from .subsidies import AidRecipientFilterSet, DisbursementFilterSet, NewPlaceFilterSet, RentedPremisesFilterSet

__all__ = [
    "AidRecipientFilterSet",
    "CreditRecordFilterSet",
    "DisbursementFilterSet",
    "FeeAlertFilterSet",
    "FeeFilingFilterSet",
    "NewPlaceFilterSet",
    "RecognitionFilterSet",
    "RentedPremisesFilterSet",
]
