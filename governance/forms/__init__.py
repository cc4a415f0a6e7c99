"""Forms of the governance pages, one module per sub-domain; this package only re-exports them."""

from .common import filable_kindergartens
from .credit import CreditAppealDecisionForm, CreditAppealForm, CreditCommendForm, CreditExitForm
from .fees import FeeAlertResolveForm, FeeFilingForm, FinancialSummaryForm, RegisteredAccountForm
from .recognitions import RecognitionApplyForm, RecognitionStepForm
from .subsidies import AidRecipientForm, DisbursementForm, NewPlaceForm, RentedPremisesForm

__all__ = [
    "AidRecipientForm",
    "CreditAppealDecisionForm",
    "CreditAppealForm",
    "CreditCommendForm",
    "CreditExitForm",
    "DisbursementForm",
    "FeeAlertResolveForm",
    "FeeFilingForm",
    "FinancialSummaryForm",
    "NewPlaceForm",
    "RecognitionApplyForm",
    "RecognitionStepForm",
    "RegisteredAccountForm",
    "RentedPremisesForm",
    "filable_kindergartens",
]
