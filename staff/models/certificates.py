"""Certificates a person holds (teacher qualification, principal certificate, health, security …).

They belong to the person, not to a post: a teacher who moves keeps their qualification.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import CHANGE, VIEW, Action, ScopedQuerySet

from ..choices import CertificateKind
from .people import Person


class CertificateQuerySet(ScopedQuerySet):
    """Within reach exactly when the certificate's holder is (`PersonQuerySet`)."""

    def restrict(self, user, action: Action = VIEW) -> CertificateQuerySet:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_bureau:
            return self
        people = Person.objects.restrict(user, CHANGE if action == CHANGE else VIEW)
        return self.filter(person__in=people.values("pk"))

    def valid_on(self, day: datetime.date) -> CertificateQuerySet:
        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day), issued_on__lte=day)

    def expiring(self, day: datetime.date, days: int) -> CertificateQuerySet:
        """Valid on `day` and expiring within `days` days (inclusive)."""
        return self.valid_on(day).filter(expires_on__lte=day + datetime.timedelta(days=days))

    def expired(self, day: datetime.date) -> CertificateQuerySet:
        return self.filter(expires_on__lt=day)


class Certificate(models.Model):
    person = models.ForeignKey(Person, verbose_name=_("持证人"), on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(_("证书类型"), max_length=16, choices=CertificateKind.choices)
    number = models.CharField(_("证书编号"), max_length=50)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("长期有效请留空"))
    history = HistoricalRecords()

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["person", "kind", "-issued_on", "pk"]
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "number"],
                name="staff_certificate_unique_number",
                violation_error_message=_("此人已登记同类型、同编号的证书。"),
            ),
        ]
        indexes = [
            models.Index(fields=["expires_on"], name="staff_cert_expires"),
            # Who holds a kind on a day, read from the index alone (PostgreSQL: the dates included):
            # the nightly staff table's holders, the certified posts' EXISTS (docs/benchmarks.md).
            models.Index(fields=["kind", "person"], include=["issued_on", "expires_on"], name="staff_cert_kind_holder"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def clean(self) -> None:
        if self.expires_on and self.issued_on and self.expires_on < self.issued_on:
            raise ValidationError({"expires_on": _("有效期不能早于发证日期。")})

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.issued_on <= day and (self.expires_on is None or self.expires_on >= day)
