"""People and their posts: one `Person` per human, one `StaffMember` per post at a kindergarten.

A person who moves to another kindergarten keeps their `Person` (matched by the keyed hash of
their national ID number) and gets a new `StaffMember`; the old post gets `left_on`. So the
history of a person across kindergartens is the list of their posts.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import CHANGE, VIEW, Action, ScopedQuerySet
from kindergartens.models import Kindergarten

from .. import identity
from ..choices import PRINCIPAL_ROLES, Education, Establishment, Gender, ProfessionalTitle, StaffRole


class StaffMemberQuerySet(ScopedQuerySet):
    def current(self) -> StaffMemberQuerySet:
        return self.filter(left_on__isnull=True)

    def on(self, day: datetime.date) -> StaffMemberQuerySet:
        """Posts held on `day`: hired by then and not left before it."""
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=day), hired_on__lte=day)


class PersonQuerySet(ScopedQuerySet):
    """A person is within reach through their posts: anyone who sees one of their posts (current
    or past) sees the person; changing them takes a current post within the user's reach."""

    def restrict(self, user, action: Action = VIEW) -> PersonQuerySet:
        rows = super().restrict(user, action)
        if action == CHANGE and user is not None and user.is_authenticated and not user.is_bureau:
            current = StaffMember.objects.current()._within_reach(user)
            rows = rows.filter(pk__in=current.values("person"))
        return rows

    def _within_reach(self, user) -> PersonQuerySet:
        return self.filter(pk__in=StaffMember.objects.all()._within_reach(user).values("person"))


class Person(models.Model):
    """One human, whichever kindergartens they work or worked at."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    education = models.CharField(_("最高学历"), max_length=16, choices=Education.choices)
    professional_title = models.CharField(
        _("职称"), max_length=16, choices=ProfessionalTitle.choices, default=ProfessionalTitle.NONE
    )
    # The national ID number, never stored as such (staff.identity).
    id_hash = models.CharField(_("身份证号码摘要"), max_length=64, unique=True, editable=False)
    id_encrypted = models.TextField(_("身份证号码密文"), editable=False)
    id_last4 = models.CharField(_("身份证号码后四位"), max_length=4, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # The hash and the ciphertext stay out of the history: a changed number shows as its last four.
    history = HistoricalRecords(excluded_fields=["id_hash", "id_encrypted"])

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("教职工个人档案")
        verbose_name_plural = _("教职工个人档案")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("staff:person_detail", args=[self.pk])

    @property
    def masked_id(self) -> str:
        return identity.mask(self.id_last4)


class StaffMember(models.Model):
    """A person's post at a kindergarten, from hiring until `left_on` (empty while current)."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="posts")
    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.CASCADE, related_name="staff_posts"
    )
    role = models.CharField(_("岗位"), max_length=20, choices=StaffRole.choices)
    establishment = models.CharField(_("编制情况"), max_length=16, choices=Establishment.choices)
    full_time = models.BooleanField(_("专职"), default=True)
    hired_on = models.DateField(_("入职日期"))
    left_on = models.DateField(_("离职日期"), null=True, blank=True, help_text=_("在职请留空"))
    history = HistoricalRecords()

    objects = StaffMemberQuerySet.as_manager()

    class Meta:
        ordering = ["kindergarten", "role", "person__name", "pk"]
        verbose_name = _("教职工")
        verbose_name_plural = _("教职工")
        constraints = [
            # One current post per person and kindergarten: a second role is a change of this one.
            models.UniqueConstraint(
                fields=["person", "kindergarten"],
                condition=Q(left_on__isnull=True),
                name="staff_one_current_post_per_kindergarten",
                violation_error_message=_("此人在该幼儿园已有在职岗位。"),
            ),
        ]
        indexes = [
            models.Index(fields=["kindergarten", "left_on"], name="staff_post_kg_current"),
            # The principals (4 % of the posts), read by the development indicators and pages: their
            # posts alone, with the columns those read, so a read touches the index and not the
            # table's pages (the credits indicator 3.1 → 2.0 s at national scale, docs/benchmarks.md).
            models.Index(
                fields=["role"],
                include=["id", "person", "kindergarten", "hired_on", "left_on"],
                condition=Q(role__in=sorted(PRINCIPAL_ROLES)),
                name="staff_post_principal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}（{self.get_role_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("staff:kindergarten", args=[self.kindergarten_id])

    @property
    def is_current(self) -> bool:
        return self.left_on is None

    def clean(self) -> None:
        if self.left_on and self.hired_on and self.left_on < self.hired_on:
            raise ValidationError({"left_on": _("离职日期不能早于入职日期。")})
