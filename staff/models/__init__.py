"""The staff models, one module per sub-domain; this package only re-exports them."""

from .certificates import Certificate, CertificateQuerySet
from .ethics import EthicsRecord, EthicsSelfCheck, ethics_flags_for
from .pay import PayBenchmark, PayFiling, PayLine
from .people import Person, PersonQuerySet, StaffMember, StaffMemberQuerySet
from .principals import CareerStageRecord, CreditRequirement, PlanPeriod
from .research import Pairing, PairingReview, ResearchActivity, ResearchCluster, ResearchTeam
from .reveals import IdReveal
from .standards import StaffingStandard
from .training import Course, TitleApplication, TrainingRecord

__all__ = [
    "CareerStageRecord",
    "Certificate",
    "CertificateQuerySet",
    "Course",
    "CreditRequirement",
    "EthicsRecord",
    "EthicsSelfCheck",
    "IdReveal",
    "Pairing",
    "PairingReview",
    "PayBenchmark",
    "PayFiling",
    "PayLine",
    "Person",
    "PersonQuerySet",
    "PlanPeriod",
    "ResearchActivity",
    "ResearchCluster",
    "ResearchTeam",
    "StaffMember",
    "StaffMemberQuerySet",
    "StaffingStandard",
    "TitleApplication",
    "TrainingRecord",
    "ethics_flags_for",
]
