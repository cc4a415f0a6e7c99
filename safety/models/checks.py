"""Safety checks (安全检查): the bureau's checklist templates, published as frozen versions, and the
checks run from them — a kindergarten's routine self-check or an inspector's spot check.

A *published* version and its items never change (the models refuse it): the bureau copies it
into a new draft and publishes that, so past checks keep the wording they were answered against.
The version in force for a template is its latest published one. A check holds one `CheckResult`
per item (pass / fail / not applicable); a failed item of a submitted check links to the hazard
it opened (`CheckResult.hazard`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.choices import Role
from accounts.scoping import DistrictWideQuerySet, ScopedQuerySet, ScopePaths
from common.files import upload_to
from kindergartens.models import Kindergarten

from ..choices import (
    CheckKind,
    ChecklistFrequency,
    ChecklistStatus,
    CheckOutcome,
    CheckStatus,
    HazardCategory,
    Severity,
)
from .hazards import Hazard

FROZEN = _("已发布的检查表版本不能修改，请复制为新草稿后修改。")


class Frozen(PermissionDenied):
    """A published checklist version (or its items), or a submitted check."""


# --- checklist templates and their versions -------------------------------------------------------


class ChecklistTemplateQuerySet(DistrictWideQuerySet):
    def visible_to_everyone(self) -> ChecklistTemplateQuerySet:
        """Templates with a published version: a template still in its first draft is the bureau's."""
        return self.filter(versions__status=ChecklistStatus.PUBLISHED).distinct()


class ChecklistTemplate(models.Model):
    name = models.CharField(_("检查表名称"), max_length=100, unique=True)
    frequency = models.CharField(_("检查频次"), max_length=10, choices=ChecklistFrequency.choices)
    description = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = ChecklistTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("安全检查表")
        verbose_name_plural = _("安全检查表")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("safety:checklist_detail", args=[self.pk])


class ChecklistVersionQuerySet(DistrictWideQuerySet):
    def visible_to_everyone(self) -> ChecklistVersionQuerySet:
        return self.filter(status=ChecklistStatus.PUBLISHED)

    def published(self) -> ChecklistVersionQuerySet:
        return self.filter(status=ChecklistStatus.PUBLISHED)

    def in_force(self) -> ChecklistVersionQuerySet:
        """Each template's latest published version (one per template)."""
        newer = ChecklistVersion.objects.filter(
            template=OuterRef("template"), status=ChecklistStatus.PUBLISHED, number__gt=OuterRef("number")
        )
        return self.published().exclude(Exists(newer))

    def _refuse_if_published(self) -> None:
        if self.filter(status=ChecklistStatus.PUBLISHED).exists():
            raise Frozen(FROZEN)

    def update(self, **kwargs) -> int:
        self._refuse_if_published()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_published()
        return super().delete()


def _refuse_if_published(version_id: int | None) -> None:
    if version_id and ChecklistVersion._base_manager.filter(pk=version_id, status=ChecklistStatus.PUBLISHED).exists():
        raise Frozen(FROZEN)


class ChecklistVersion(models.Model):
    """One version of a template's items: a draft the bureau edits, then published and frozen."""

    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("检查表"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ChecklistStatus.choices, default=ChecklistStatus.DRAFT, editable=False
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies",
        editable=False,
    )
    note = models.TextField(_("版本说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = ChecklistVersionQuerySet.as_manager()

    class Meta:
        ordering = ["template__name", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="unique_checklist_version")]
        verbose_name = _("检查表版本")
        verbose_name_plural = _("检查表版本")

    def __str__(self) -> str:
        return f"{self.template.name}（第 {self.number} 版）"

    def save(self, *args, **kwargs) -> None:
        _refuse_if_published(self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("safety:checklist_version", args=[self.pk])

    def delete(self, *args, **kwargs):
        _refuse_if_published(self.pk)
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == ChecklistStatus.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.status == ChecklistStatus.DRAFT

    def is_in_force(self) -> bool:
        return ChecklistVersion.objects.in_force().filter(pk=self.pk).exists()

    def groups(self) -> list[tuple[str, list[ChecklistItem]]]:
        """The items grouped by category, in category order, numbered 1…n across the version."""
        return group_by_category(list(self.items.all()), key=lambda item: item)


def group_by_category(rows: list, *, key) -> list[tuple[str, list]]:
    """(category label, rows) in the order the bureau gave the items: a category comes where its first
    item does, its items follow in order; each row is numbered 1…n as the groups show them."""
    rows = sorted(rows, key=lambda row: (key(row).order, key(row).pk))
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(key(row).category, []).append(row)
    number = 0
    for members in groups.values():
        for row in members:
            number += 1
            row.number = number
    return [(str(HazardCategory(category).label), members) for category, members in groups.items()]


class ChecklistItemQuerySet(DistrictWideQuerySet):
    def visible_to_everyone(self) -> ChecklistItemQuerySet:
        return self.filter(version__status=ChecklistStatus.PUBLISHED)

    def _refuse_if_published(self) -> None:
        if self.filter(version__status=ChecklistStatus.PUBLISHED).exists():
            raise Frozen(FROZEN)

    def update(self, **kwargs) -> int:
        self._refuse_if_published()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_published()
        return super().delete()


class ChecklistItem(models.Model):
    version = models.ForeignKey(
        ChecklistVersion, verbose_name=_("检查表版本"), on_delete=models.CASCADE, related_name="items"
    )
    category = models.CharField(_("类别"), max_length=20, choices=HazardCategory.choices)
    text = models.CharField(_("检查内容"), max_length=300)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    severity = models.CharField(
        _("不合格时的隐患等级"), max_length=10, choices=Severity.choices, default=Severity.GENERAL
    )
    history = HistoricalRecords()

    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("检查项目")
        verbose_name_plural = _("检查项目")

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs) -> None:
        _refuse_if_published(self.version_id)
        if self.pk:
            stored = ChecklistItem._base_manager.filter(pk=self.pk).values_list("version_id", flat=True).first()
            _refuse_if_published(stored)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_published(self.version_id)
        return super().delete(*args, **kwargs)


# --- checks -----------------------------------------------------------------------------------------


class SafetyCheckQuerySet(ScopedQuerySet):
    # Who may act on a visible row is the permission layer's (the services ask `may()`).
    change_roles = frozenset({Role.DIRECTOR, Role.INSPECTOR})

    def submitted(self) -> SafetyCheckQuerySet:
        return self.filter(status=CheckStatus.SUBMITTED)

    def with_counts(self) -> SafetyCheckQuerySet:
        """Each check's failed items and the hazards they opened (in the same query)."""
        return self.annotate(
            failures=Count("results", filter=Q(results__outcome=CheckOutcome.FAIL), distinct=True),
            hazards_opened=Count("results__hazard", distinct=True),
        )

    def recent(self) -> SafetyCheckQuerySet:
        """The latest checks with their counts (a kindergarten's safety page: `kindergarten.safety_checks.recent`)."""
        return self.select_related("version__template").with_counts().order_by("-checked_on", "-pk")[:6]

    def with_failures(self) -> SafetyCheckQuerySet:
        failed = CheckResult.objects.filter(safety_check=OuterRef("pk"), outcome=CheckOutcome.FAIL)
        return self.filter(Exists(failed))


class SafetyCheck(models.Model):
    """One check of one kindergarten against one published checklist version."""

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.PROTECT, related_name="safety_checks"
    )
    version = models.ForeignKey(
        ChecklistVersion, verbose_name=_("检查表版本"), on_delete=models.PROTECT, related_name="checks"
    )
    kind = models.CharField(_("检查类型"), max_length=10, choices=CheckKind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=CheckStatus.choices, default=CheckStatus.DRAFT, editable=False
    )
    checked_on = models.DateField(_("检查日期"))
    team = models.CharField(_("检查人员"), max_length=200, blank=True, help_text=_("检查组成员姓名，用顿号分隔"))
    findings = models.TextField(_("总体意见"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填写人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = SafetyCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("安全检查")
        verbose_name_plural = _("安全检查")
        indexes = [models.Index(fields=["kindergarten", "checked_on"])]

    def __str__(self) -> str:
        return f"{self.kindergarten} · {self.version.template.name} · {self.checked_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("safety:check_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == CheckStatus.DRAFT

    def clean(self) -> None:
        if self.checked_on and self.checked_on > timezone.localdate():
            raise ValidationError({"checked_on": _("检查日期不能晚于今天。")})


class CheckResultQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="safety_check__kindergarten", subdistrict="safety_check__kindergarten__subdistrict")
    change_roles = frozenset({Role.DIRECTOR, Role.INSPECTOR})


class CheckResult(models.Model):
    """The answer to one item of a check; a failed item of a submitted check opened `hazard`."""

    safety_check = models.ForeignKey(
        SafetyCheck, verbose_name=_("安全检查"), on_delete=models.CASCADE, related_name="results"
    )
    item = models.ForeignKey(ChecklistItem, verbose_name=_("检查项目"), on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("结果"), max_length=4, choices=CheckOutcome.choices, blank=True)
    note = models.CharField(_("情况记录"), max_length=300, blank=True)
    hazard = models.OneToOneField(
        Hazard,
        verbose_name=_("登记的隐患"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="check_result",
        editable=False,
    )
    history = HistoricalRecords()

    objects = CheckResultQuerySet.as_manager()

    class Meta:
        ordering = ["safety_check", "item__order", "item__pk"]
        constraints = [models.UniqueConstraint(fields=["safety_check", "item"], name="unique_check_result_item")]
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")

    def __str__(self) -> str:
        return f"{self.item} · {self.get_outcome_display() or '—'}"


class CheckPhoto(models.Model):
    """A photo of the check (the site) or of one item, kept outside the web root."""

    safety_check = models.ForeignKey(
        SafetyCheck, verbose_name=_("安全检查"), on_delete=models.CASCADE, related_name="photos"
    )
    result = models.ForeignKey(
        CheckResult, verbose_name=_("检查项目"), on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    file = models.FileField(_("文件"), upload_to=upload_to, max_length=255)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = CheckResultQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("检查照片")
        verbose_name_plural = _("检查照片")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("safety:check_photo", args=[self.pk])

    def upload_folder(self) -> str:
        return f"safety/checks/{self.safety_check_id}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
