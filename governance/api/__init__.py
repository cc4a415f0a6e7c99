"""The governance API, one module per sub-domain (serializers and viewsets together); this package only re-exports them."""

from .credit import CreditRecordSerializer, CreditRecordViewSet
from .fees import FeeFilingSerializer, FeeFilingViewSet
from .recognitions import RecognitionSerializer, RecognitionViewSet
from .subsidies import (
    AidRecipientSerializer,
    AidRecipientViewSet,
    DisbursementSerializer,
    DisbursementViewSet,
    NewPlaceSerializer,
    NewPlaceViewSet,
    RentedPremisesSerializer,
    RentedPremisesViewSet,
)

__all__ = [
    "AidRecipientSerializer",
    "AidRecipientViewSet",
    "CreditRecordSerializer",
    "CreditRecordViewSet",
    "DisbursementSerializer",
    "DisbursementViewSet",
    "FeeFilingSerializer",
    "FeeFilingViewSet",
    "NewPlaceSerializer",
    "NewPlaceViewSet",
    "RecognitionSerializer",
    "RecognitionViewSet",
    "RentedPremisesSerializer",
    "RentedPremisesViewSet",
]
