"""The record of every time a national ID number was shown whole (to a bureau administrator)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet

from .people import Person


class IdRevealQuerySet(ScopedQuerySet):
    """Bureau staff read the log; nobody else sees it (it names the people looked at)."""

    def restrict(self, user, action="view") -> IdRevealQuerySet:
        if user is None or not user.is_authenticated or not user.is_active or not user.is_bureau:
            return self.none()
        return self if action == "view" else self.none()


class IdReveal(models.Model):
    """Who saw whose whole ID number, when and why. Written once, never edited, so no history:
    the rows are themselves the audit trail."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="id_reveals")
    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查看人"), on_delete=models.PROTECT, related_name="+"
    )
    revealed_at = models.DateTimeField(_("查看时间"), auto_now_add=True)
    reason = models.CharField(_("查看事由"), max_length=200)

    objects = IdRevealQuerySet.as_manager()

    class Meta:
        ordering = ["-revealed_at", "-pk"]
        verbose_name = _("身份证号码查看记录")
        verbose_name_plural = _("身份证号码查看记录")

    def __str__(self) -> str:
        return f"{self.revealed_by} → {self.person}（{self.revealed_at:%Y-%m-%d %H:%M}）"
