# temporary re-export for inspections/; removed once inspections imports accounts.api and common.api
from accounts.api import (  # noqa: F401
    BureauCreatesPermission,
    BureauOnlyPermission,
    BureauWritesPermission,
    ScopedViewSetMixin,
)
from common.api import ModelCleanSerializer  # noqa: F401
