"""The governance FilterSets, one module per sub-domain; this package only re-exports them."""

from .fees import FeeAlertFilterSet, FeeFilingFilterSet
from .recognitions import RecognitionFilterSet
from .subsidies import AidRecipientFilterSet, DisbursementFilterSet, NewPlaceFilterSet, RentedPremisesFilterSet

__all__ = [
    "AidRecipientFilterSet",
    "DisbursementFilterSet",
    "FeeAlertFilterSet",
    "FeeFilingFilterSet",
    "NewPlaceFilterSet",
    "RecognitionFilterSet",
    "RentedPremisesFilterSet",
]
