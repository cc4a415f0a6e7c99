"""Tables of the staff app, one module per sub-domain; this package only re-exports them."""

from .pay import PayFilingTable
from .principals import CertificateCheckTable, CourseTable, CreditTable, PrincipalTable
from .training import TitleApplicationTable, TrainingRecordTable

__all__ = [
    "CertificateCheckTable",
    "CourseTable",
    "CreditTable",
    "PayFilingTable",
    "PrincipalTable",
    "TitleApplicationTable",
    "TrainingRecordTable",
]
