"""The governance pages, one module per sub-domain; this package only re-exports them."""

from .credit import (
    CreditAppealDecideView,
    CreditAppealFileView,
    CreditCommendView,
    CreditExitView,
    CreditExportView,
    CreditRecordDetailView,
    CreditRecordListView,
    CreditRefreshView,
)
from .fees import (
    FeeAlertDetailView,
    FeeAlertListView,
    FeeAlertResolveView,
    FeeFilingCreateView,
    FeeFilingDetailView,
    FeeFilingExportView,
    FeeFilingListView,
    FinancialSummaryView,
    RegisteredAccountView,
)
from .overview import GovernanceIndexView
from .recognitions import RecognitionApplyView, RecognitionDetailView, RecognitionListView, RecognitionStepView
from .subsidies import (
    AidRecipientCreateView,
    AidRecipientListView,
    DisbursementCreateView,
    NewPlaceCreateView,
    RentedPremisesCreateView,
    SubsidyExportView,
    SubsidyFactsView,
    SubsidyView,
)

__all__ = [
    "AidRecipientCreateView",
    "AidRecipientListView",
    "CreditAppealDecideView",
    "CreditAppealFileView",
    "CreditCommendView",
    "CreditExitView",
    "CreditExportView",
    "CreditRecordDetailView",
    "CreditRecordListView",
    "CreditRefreshView",
    "DisbursementCreateView",
    "FeeAlertDetailView",
    "FeeAlertListView",
    "FeeAlertResolveView",
    "FeeFilingCreateView",
    "FeeFilingDetailView",
    "FeeFilingExportView",
    "FeeFilingListView",
    "FinancialSummaryView",
    "GovernanceIndexView",
    "NewPlaceCreateView",
    "RecognitionApplyView",
    "RecognitionDetailView",
    "RecognitionListView",
    "RecognitionStepView",
    "RegisteredAccountView",
    "RentedPremisesCreateView",
    "SubsidyExportView",
    "SubsidyFactsView",
    "SubsidyView",
]
