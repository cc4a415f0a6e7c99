from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("用户与权限")

    def ready(self) -> None:
        from common import due

        # Every app's `due.py` registers its providers before the first home page is drawn.
        due.autodiscover()

        from django.db.models.signals import post_save

        from .signals import revoke_tokens_on_password_change

        post_save.connect(revoke_tokens_on_password_change, sender=self.get_model("User"), dispatch_uid="revoke_tokens")
