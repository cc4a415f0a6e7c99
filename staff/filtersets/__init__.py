"""The staff FilterSets (pages, exports and the API), one module per sub-domain; re-exports only."""

from .certificates import CertificateFilterSet
from .people import StaffMemberFilterSet
from .staffing import KindergartenStaffingFilterSet

__all__ = ["CertificateFilterSet", "KindergartenStaffingFilterSet", "StaffMemberFilterSet"]
