"""The staff pages, one module per sub-domain; this package only re-exports them."""

from .ethics import EthicsListView, EthicsRecordCreateView, SelfCheckView
from .pay import PayDetailView, PayFilingEditView, PayListView
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

__all__ = [
    "AttendanceImportView",
    "AttendanceTemplateView",
    "CourseEditView",
    "CourseListView",
    "EthicsListView",
    "EthicsRecordCreateView",
    "PairingCreateView",
    "PairingDetailView",
    "PairingListView",
    "PairingReviewView",
    "PayDetailView",
    "PayFilingEditView",
    "PayListView",
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
    "StageRecordView",
    "TitleApplicationCreateView",
    "TitleApplicationListView",
    "TitleDecisionView",
    "TrainingListView",
    "TrainingRecordCreateView",
]
