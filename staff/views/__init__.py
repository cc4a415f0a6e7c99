"""The staff pages, one module per sub-domain; this package only re-exports them."""

from .certificates import (
    CertificateExpiryView,
)
from .ethics import (
    EthicsListView,
    EthicsRecordCreateView,
    SelfCheckView,
)
from .pay import (
    PayDetailView,
    PayFilingEditView,
    PayListView,
)
from .people import (
    IdRevealView,
    KindergartenStaffView,
    PersonDetailView,
    PersonEditView,
    StaffIndexView,
    StaffMemberCreateView,
    StaffMemberEditView,
    StaffMemberListView,
)
from .principals import (
    CourseEditView,
    CourseListView,
    PrincipalCertificateView,
    PrincipalCreditView,
    PrincipalDetailView,
    PrincipalListView,
    ReservePoolView,
    StageRecordView,
)
from .research import (
    PairingCreateView,
    PairingDetailView,
    PairingListView,
    PairingReviewView,
    ResearchActivityCreateView,
    ResearchClusterCreateView,
    ResearchClusterDetailView,
    ResearchListView,
    ResearchTeamCreateView,
)
from .training import (
    AttendanceImportView,
    AttendanceTemplateView,
    TitleApplicationCreateView,
    TitleApplicationListView,
    TitleDecisionView,
    TrainingListView,
    TrainingRecordCreateView,
)
from .transfer import (
    StaffExportView,
    StaffImportView,
    StaffTemplateView,
)

__all__ = [
    "AttendanceImportView",
    "AttendanceTemplateView",
    "CertificateExpiryView",
    "CourseEditView",
    "CourseListView",
    "EthicsListView",
    "EthicsRecordCreateView",
    "IdRevealView",
    "KindergartenStaffView",
    "PairingCreateView",
    "PairingDetailView",
    "PairingListView",
    "PairingReviewView",
    "PayDetailView",
    "PayFilingEditView",
    "PayListView",
    "PersonDetailView",
    "PersonEditView",
    "PrincipalCertificateView",
    "PrincipalCreditView",
    "PrincipalDetailView",
    "PrincipalListView",
    "ResearchActivityCreateView",
    "ResearchClusterCreateView",
    "ResearchClusterDetailView",
    "ResearchListView",
    "ResearchTeamCreateView",
    "ReservePoolView",
    "SelfCheckView",
    "StaffExportView",
    "StaffImportView",
    "StaffIndexView",
    "StaffMemberCreateView",
    "StaffMemberEditView",
    "StaffMemberListView",
    "StaffTemplateView",
    "StageRecordView",
    "TitleApplicationCreateView",
    "TitleApplicationListView",
    "TitleDecisionView",
    "TrainingListView",
    "TrainingRecordCreateView",
]
