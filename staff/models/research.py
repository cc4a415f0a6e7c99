"""Teaching research (教研): clusters (片区) of kindergartens led by one of them, research teams
and their members, activities whose hours feed the participants' training records, and the
pairing of strong kindergartens with weaker ones (结对帮扶) with its yearly reviews."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import VIEW, Action, ScopedQuerySet, ScopePaths
from kindergartens.models import Kindergarten

from ..choices import ReviewRating, TrainingMode
from .people import Person


class ClusterQuerySet(ScopedQuerySet):
    """A cluster is within reach of whoever reaches one of its member kindergartens."""

    scope = ScopePaths(kindergarten="members", subdistrict="members__subdistrict")
    change_roles = frozenset()  # the bureau draws the clusters

    def restrict(self, user, action="view") -> ClusterQuerySet:
        rows = super().restrict(user, action)
        return rows if user is not None and getattr(user, "is_bureau", False) else rows.distinct()


class ResearchCluster(models.Model):
    name = models.CharField(_("片区名称"), max_length=100, unique=True)
    lead = models.ForeignKey(
        Kindergarten, verbose_name=_("牵头园"), on_delete=models.PROTECT, related_name="led_clusters"
    )
    members = models.ManyToManyField(Kindergarten, verbose_name=_("成员园"), related_name="research_clusters")
    description = models.TextField(_("简介"), max_length=2000, blank=True)
    history = HistoricalRecords()

    objects = ClusterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("教研片区")
        verbose_name_plural = _("教研片区")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("staff:research_cluster_detail", args=[self.pk])


class TeamQuerySet(ClusterQuerySet):
    scope = ScopePaths(kindergarten="cluster__members", subdistrict="cluster__members__subdistrict")
    change_roles = frozenset()


class ResearchTeam(models.Model):
    cluster = models.ForeignKey(ResearchCluster, verbose_name=_("片区"), on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("教研组名称"), max_length=100)
    topic = models.CharField(_("研究主题"), max_length=200)
    leader = models.ForeignKey(
        Person, verbose_name=_("组长"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    members = models.ManyToManyField(Person, verbose_name=_("成员"), related_name="research_teams", blank=True)
    history = HistoricalRecords()

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["cluster", "name"]
        verbose_name = _("教研组")
        verbose_name_plural = _("教研组")

    def __str__(self) -> str:
        return f"{self.cluster} · {self.name}"


class ActivityQuerySet(ClusterQuerySet):
    scope = ScopePaths(kindergarten="team__cluster__members", subdistrict="team__cluster__members__subdistrict")
    change_roles = frozenset()


class ResearchActivity(models.Model):
    """One research activity; each participant gets a training record of its hours (片区级)."""

    team = models.ForeignKey(
        ResearchTeam, verbose_name=_("教研组"), on_delete=models.CASCADE, related_name="activities"
    )
    held_on = models.DateField(_("活动日期"))
    topic = models.CharField(_("活动主题"), max_length=200)
    hours = models.DecimalField(
        _("学时"), max_digits=4, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(24)]
    )
    mode = models.CharField(_("方式"), max_length=10, choices=TrainingMode.choices, default=TrainingMode.OFFLINE)
    host = models.ForeignKey(
        Kindergarten, verbose_name=_("承办园"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    history = HistoricalRecords()

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = _("教研活动")
        verbose_name_plural = _("教研活动")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


class PairingQuerySet(ScopedQuerySet):
    """Within reach of whoever sees either kindergarten of the pair (read only: the bureau pairs)."""

    change_roles = frozenset()

    def restrict(self, user, action: Action = VIEW) -> PairingQuerySet:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_bureau:
            return self
        if action != VIEW:
            return self.none()
        visible = Kindergarten.objects.visible_to(user).values("pk")
        return self.filter(Q(strong__in=visible) | Q(weak__in=visible))

    def active(self) -> PairingQuerySet:
        return self.filter(ended_on__isnull=True)


class Pairing(models.Model):
    """A strong kindergarten helping a weaker one (结对帮扶)."""

    strong = models.ForeignKey(
        Kindergarten, verbose_name=_("帮扶园"), on_delete=models.PROTECT, related_name="pairings_helping"
    )
    weak = models.ForeignKey(
        Kindergarten, verbose_name=_("受援园"), on_delete=models.PROTECT, related_name="pairings_helped"
    )
    started_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    goals = models.TextField(_("帮扶目标"), max_length=3000)
    history = HistoricalRecords()

    objects = PairingQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "pk"]
        verbose_name = _("结对帮扶")
        verbose_name_plural = _("结对帮扶")
        constraints = [
            models.UniqueConstraint(
                fields=["strong", "weak"],
                condition=Q(ended_on__isnull=True),
                name="staff_one_active_pairing",
                violation_error_message=_("这两所幼儿园已在结对中。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.strong} → {self.weak}"

    def get_absolute_url(self) -> str:
        return reverse("staff:pairing_detail", args=[self.pk])

    def clean(self) -> None:
        if self.strong_id and self.strong_id == self.weak_id:
            raise ValidationError({"weak": _("帮扶园和受援园不能是同一所。")})
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("结束日期不能早于结对日期。")})


class PairingReviewQuerySet(ScopedQuerySet):
    change_roles = frozenset()

    def restrict(self, user, action: Action = VIEW) -> PairingReviewQuerySet:
        return self.filter(pairing__in=Pairing.objects.restrict(user, action).values("pk"))


class PairingReview(models.Model):
    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    rating = models.CharField(_("目标达成"), max_length=16, choices=ReviewRating.choices)
    progress = models.TextField(_("年度进展"), max_length=3000)
    reviewed_on = models.DateField(_("评议日期"))
    history = HistoricalRecords()

    objects = PairingReviewQuerySet.as_manager()

    class Meta:
        ordering = ["pairing", "-year"]
        verbose_name = _("结对年度评议")
        verbose_name_plural = _("结对年度评议")
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "year"],
                name="staff_one_review_a_year",
                violation_error_message=_("该结对本年度已评议。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.pairing} · {self.year}"
