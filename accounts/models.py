"""Users and their roles. What a role may see is decided in `accounts.scoping`."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import BUREAU_ROLES, Role


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.BUREAU_OFFICIAL)
    subdistrict = models.ForeignKey(
        "kindergartens.Subdistrict",
        verbose_name=_("所属街道/地区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
        help_text=_("街道/地区工作人员必填"),
    )
    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten",
        verbose_name=_("所属幼儿园"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directors",
        help_text=_("园长必填"),
    )
    assigned_kindergartens = models.ManyToManyField(
        "kindergartens.Kindergarten",
        verbose_name=_("负责督导的幼儿园"),
        blank=True,
        related_name="inspectors",
        help_text=_("督学/评估专家只能看到分配给自己的幼儿园"),
    )
    # Kept by accounts.two_factor from the user's authenticators (signals on TOTPDevice): read with
    # the user on every request, so a device added or removed counts in all sessions at no cost.
    otp_enabled = models.BooleanField(_("已启用两步验证"), default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login", "otp_enabled"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.role == Role.SUBDISTRICT_OFFICIAL and not self.subdistrict_id:
            raise ValidationError({"subdistrict": _("街道/地区工作人员必须指定所属街道/地区。")})
        if self.role == Role.DIRECTOR and not self.kindergarten_id:
            raise ValidationError({"kindergarten": _("园长必须指定所属幼儿园。")})
        if self.role != Role.SUBDISTRICT_OFFICIAL and self.subdistrict_id:
            raise ValidationError({"subdistrict": _("只有街道/地区工作人员可以指定所属街道/地区。")})
        if self.role != Role.DIRECTOR and self.kindergarten_id:
            raise ValidationError({"kindergarten": _("只有园长可以指定所属幼儿园。")})

    @property
    def is_bureau(self) -> bool:
        """Bureau staff see and manage the whole district (superusers count as administrators)."""
        return self.is_superuser or self.role in BUREAU_ROLES

    @property
    def is_bureau_admin(self) -> bool:
        return self.is_superuser or self.role == Role.BUREAU_ADMIN

    @property
    def is_director(self) -> bool:
        return self.role == Role.DIRECTOR and not self.is_superuser


class SecurityEvent(models.Model):
    """One security-relevant event: sign-ins, failures, lockouts, exports, PDF downloads, token
    use, footage-register reads. Kept apart from the data history (django-simple-history), which
    records what changed; this records who got in and what they took out. Written only by
    `accounts.security_log`; read by the bureau administrator."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOCKOUT = "lockout", _("账号锁定")
        LOGOUT = "logout", _("退出")
        EXPORT = "export", _("导出")
        PDF = "pdf", _("下载 PDF")
        TOKEN_USE = "token_use", _("API 令牌使用")
        TOKEN_ISSUED = "token_issued", _("API 令牌生成")
        TOKEN_REVOKED = "token_revoked", _("API 令牌撤销")
        FOOTAGE_READ = "footage_read", _("查阅监控调阅登记")
        OTP = "otp", _("两步验证")

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("事件"), max_length=32, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True, help_text=_("登录失败时为输入的用户名"))
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    path = models.CharField(_("请求路径"), max_length=500, blank=True)
    detail = models.CharField(_("详情"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("安全事件")
        verbose_name_plural = _("安全事件")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "at"], name="security_event_kind_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"
