"""The staff API, one module per sub-domain (serializers and viewsets together); this package only re-exports them."""

from .certificates import CertificateSerializer, CertificateViewSet
from .people import StaffMemberSerializer, StaffMemberViewSet

__all__ = ["CertificateSerializer", "CertificateViewSet", "StaffMemberSerializer", "StaffMemberViewSet"]
