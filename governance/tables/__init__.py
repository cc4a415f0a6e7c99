"""The governance tables, one module per sub-domain; this package only re-exports them."""

from .fees import FeeAlertTable, FeeFilingTable
from .recognitions import RecognitionTable
from .subsidies import AidRecipientTable

__all__ = ["AidRecipientTable", "FeeAlertTable", "FeeFilingTable", "RecognitionTable"]
