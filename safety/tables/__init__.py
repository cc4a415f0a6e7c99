"""django-tables2 tables of the safety pages, one module per sub-domain; this package only re-exports them."""

from .hazards import HazardTable
from .profiles import YES_NO, KindergartenSafetyTable
from .supervision import SupervisionOrderTable

__all__ = ["YES_NO", "HazardTable", "KindergartenSafetyTable", "SupervisionOrderTable"]
