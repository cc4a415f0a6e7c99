"""The staff tables, one module per sub-domain; this package only re-exports them."""

from .certificates import (
    CertificateTable,
)
from .pay import (
    PayFilingTable,
)
from .people import (
    KindergartenStaffingTable,
    KindergartenStaffTable,
    StaffMemberTable,
    certificate_badges,
)
from .principals import (
    CertificateCheckTable,
    CourseTable,
    CreditTable,
    PrincipalTable,
)
from .training import (
    TitleApplicationTable,
    TrainingRecordTable,
)

__all__ = [
    "CertificateCheckTable",
    "CertificateTable",
    "CourseTable",
    "CreditTable",
    "KindergartenStaffTable",
    "KindergartenStaffingTable",
    "PayFilingTable",
    "PrincipalTable",
    "StaffMemberTable",
    "TitleApplicationTable",
    "TrainingRecordTable",
    "certificate_badges",
]
