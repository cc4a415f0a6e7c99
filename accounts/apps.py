from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("用户与权限")

    def ready(self) -> None:
        from common import due

        # Every app's `due.py` registers its providers before the first home page is drawn.
        due.autodiscover()
