from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("消息提醒")

    def ready(self) -> None:
        from . import receivers  # the signals of the apps below, turned into notifications

        receivers.connect()
