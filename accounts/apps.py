from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("用户与权限")

    def ready(self) -> None:
        from common import due

        # Every app's `due.py` registers its providers before the first home page is drawn.
        due.autodiscover()

        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import post_delete, post_save
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from . import security_log, two_factor
        from .signals import revoke_tokens_on_password_change

        user_logged_in.connect(security_log.on_logged_in, dispatch_uid="security_login")
        user_logged_out.connect(security_log.on_logged_out, dispatch_uid="security_logout")
        user_login_failed.connect(security_log.on_login_failed, dispatch_uid="security_login_failed")
        user_locked_out.connect(security_log.on_locked_out, dispatch_uid="security_lockout")
        post_save.connect(two_factor.sync_authenticator_flag, sender=TOTPDevice, dispatch_uid="otp_flag_save")
        post_delete.connect(two_factor.sync_authenticator_flag, sender=TOTPDevice, dispatch_uid="otp_flag_delete")
        post_save.connect(revoke_tokens_on_password_change, sender=self.get_model("User"), dispatch_uid="revoke_tokens")
