from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("指标与报告")

    def ready(self) -> None:
        from enrollment import forecast

        from . import registry
        from .forecast import target_demand_rate

        # Every app's indicators are registered before the first computation, request or task.
        registry.autodiscover()
        # The forecast plans demand for a target of this app; enrollment cannot import reports.
        forecast.read_demand_rate_from(target_demand_rate)
