"""The staff tables, one module per sub-domain; this package only re-exports them."""

from .certificates import CertificateTable
from .people import KindergartenStaffingTable, KindergartenStaffTable, StaffMemberTable, certificate_badges

__all__ = [
    "CertificateTable",
    "KindergartenStaffTable",
    "KindergartenStaffingTable",
    "StaffMemberTable",
    "certificate_badges",
]
