"""The staff models, one module per sub-domain; this package only re-exports them."""

from .certificates import Certificate, CertificateQuerySet
from .people import Person, PersonQuerySet, StaffMember, StaffMemberQuerySet
from .reveals import IdReveal
from .standards import StaffingStandard

__all__ = [
    "Certificate",
    "CertificateQuerySet",
    "IdReveal",
    "Person",
    "PersonQuerySet",
    "StaffMember",
    "StaffMemberQuerySet",
    "StaffingStandard",
]
