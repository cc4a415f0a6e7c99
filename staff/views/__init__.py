"""The staff pages, one module per sub-domain; this package only re-exports them."""

from .certificates import CertificateExpiryView
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
from .transfer import StaffExportView, StaffImportView, StaffTemplateView

__all__ = [
    "CertificateExpiryView",
    "IdRevealView",
    "KindergartenStaffView",
    "PersonDetailView",
    "PersonEditView",
    "StaffExportView",
    "StaffImportView",
    "StaffIndexView",
    "StaffMemberCreateView",
    "StaffMemberEditView",
    "StaffMemberListView",
    "StaffTemplateView",
]
