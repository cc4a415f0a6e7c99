"""The governance models, one module per sub-domain; this package only re-exports them."""

from .credit import (
    CreditAppeal,
    CreditEvent,
    CreditExit,
    CreditLevelChange,
    CreditRecord,
    CreditRule,
    TransferPlanLine,
)
from .fees import FeeAlert, FeeFiling, FeeItem, FinancialSummary, RegisteredAccount, school_year_label
from .recognitions import Recognition, RecognitionEvent, RecognitionQuerySet
from .rules import FeeCap, RecognitionPolicy, SeniorYearWaiver, SubsidyRule
from .subsidies import AidRecipient, Disbursement, NewPlace, RentedPremises, validate_initials

__all__ = [
    "AidRecipient",
    "CreditAppeal",
    "CreditEvent",
    "CreditExit",
    "CreditLevelChange",
    "CreditRecord",
    "CreditRule",
    "Disbursement",
    "FeeAlert",
    "FeeCap",
    "FeeFiling",
    "FeeItem",
    "FinancialSummary",
    "NewPlace",
    "Recognition",
    "RecognitionEvent",
    "RecognitionPolicy",
    "RecognitionQuerySet",
    "RegisteredAccount",
    "RentedPremises",
    "SeniorYearWaiver",
    "SubsidyRule",
    "TransferPlanLine",
    "school_year_label",
    "validate_initials",
]
