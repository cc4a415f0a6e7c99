"""Demo data for quality evaluation, one module per sub-domain; `manage.py seed_demo` calls
`seed(rng)` (in `seeding`, which runs the others in order). This package only re-exports."""

from .enforcement import seed_enforcement
from .evaluations import seed_external_evaluations
from .issues import seed_issues
from .seeding import seed

__all__ = ["seed", "seed_enforcement", "seed_external_evaluations", "seed_issues"]
