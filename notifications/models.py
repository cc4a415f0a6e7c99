"""Notifications: reminders shown under the bell in the top bar and, once, by email.

A notification belongs to one user and is seen by that user only — bureau staff included, so
the scoping here is not `accounts.scoping`'s kindergarten rule but "own rows": `for_user(user)`
(and `restrict(user, action)`, its alias for the shared view and API mixins). Another user's
notification answers 404.

`dedupe_key` names the reminder, e.g. ``self_assessment_overdue:<assignment pk>:<due date>``;
the pair (recipient, dedupe_key) is unique, so the daily job can insert the same candidates
every day and only new reminders are created (and emailed). A deadline that moves yields a
new key, hence a new reminder.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import VIEW, Action

from .choices import OVERDUE_KINDS, NotificationKind


def is_local_path(link: str) -> bool:
    """A same-site path ("/inspections/…"): never a scheme, a host or a protocol-relative "//host"."""
    return link.startswith("/") and not link.startswith(("//", "/\\")) and "\n" not in link and "\r" not in link


def validate_local_path(link: str) -> None:
    if link and not is_local_path(link):
        raise ValidationError(_("链接只能是本站的相对路径（以“/”开头）。"))


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> NotificationQuerySet:
        """The user's own notifications; nothing for anonymous or inactive users."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(recipient_id=user.pk)

    def restrict(self, user, action: Action = VIEW) -> NotificationQuerySet:
        # Reading and marking read are the same right: one's own notifications, whatever the role.
        return self.for_user(user)

    def visible_to(self, user) -> NotificationQuerySet:
        return self.for_user(user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=32, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), max_length=2000, blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True, validators=[validate_local_path])
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    dedupe_key = models.CharField(_("提醒标识"), max_length=200, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="unique_notification_per_recipient"),
        ]
        # The bell counts a user's unread rows on every page.
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]
        verbose_name = _("消息提醒")
        verbose_name_plural = _("消息提醒")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Opening the notification marks it read and goes on to `link`."""
        return reverse("notifications:notification_open", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def is_overdue_kind(self) -> bool:
        return self.kind in OVERDUE_KINDS
