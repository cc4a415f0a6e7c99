"""The staff FilterSets (pages, exports and the API), one module per sub-domain; re-exports only."""

from .certificates import (
    CertificateFilterSet,
)
from .ethics import (
    EthicsRecordFilterSet,
)
from .pay import (
    PayFilingFilterSet,
)
from .people import (
    StaffMemberFilterSet,
)
from .principals import (
    CourseFilterSet,
    PrincipalFilterSet,
)
from .research import (
    PairingFilterSet,
    ResearchClusterFilterSet,
)
from .staffing import (
    KindergartenStaffingFilterSet,
)
from .training import (
    TitleApplicationFilterSet,
    TrainingRecordFilterSet,
)

__all__ = [
    "CertificateFilterSet",
    "CourseFilterSet",
    "EthicsRecordFilterSet",
    "KindergartenStaffingFilterSet",
    "PairingFilterSet",
    "PayFilingFilterSet",
    "PrincipalFilterSet",
    "ResearchClusterFilterSet",
    "StaffMemberFilterSet",
    "TitleApplicationFilterSet",
    "TrainingRecordFilterSet",
]
