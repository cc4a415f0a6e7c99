"""The staff pages, one module per sub-domain; this package only re-exports them."""

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

__all__ = [
    "CourseEditView",
    "CourseListView",
    "PayDetailView",
    "PayFilingEditView",
    "PayListView",
    "PrincipalCertificateView",
    "PrincipalCreditView",
    "PrincipalDetailView",
    "PrincipalListView",
    "ReservePoolView",
    "StageRecordView",
]
