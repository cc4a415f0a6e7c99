from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("指标与报告")

    def ready(self) -> None:
        # Every app's indicators are registered before the first computation, request or task.
        from . import registry

        registry.autodiscover()
