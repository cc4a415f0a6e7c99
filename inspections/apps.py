from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("质量评估")

    def ready(self) -> None:
        from . import evaluation_locks  # noqa: F401  (connects the receivers that freeze published evaluations)
