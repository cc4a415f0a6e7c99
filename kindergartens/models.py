"""Sub-districts, the kindergarten registry and the naming rules it is checked against."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import DistrictWideQuerySet, ScopedQuerySet, ScopePaths

from .choices import (
    PUBLIC_SPONSORS,
    DayType,
    EstateGapKind,
    EstateOwner,
    EstateStage,
    InclusiveStatus,
    LicenceStatus,
    NamingRuleCategory,
    Ownership,
    SponsorType,
    SubdistrictKind,
)


class SubdistrictQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten=None, subdistrict="pk")
    change_roles = frozenset()


class Subdistrict(models.Model):
    """A sub-district (街道) or area office (地区/乡) of Chaoyang, seeded by a data migration."""

    code = models.CharField(
        _("统计代码"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{9,12}$", _("统计代码应为 9–12 位数字。"))],
    )
    name = models.CharField(_("名称"), max_length=32, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=SubdistrictKind.choices)
    # A GeoJSON geometry (Point, Polygon or MultiPolygon, lon/lat) the bureau imports for the maps.
    geometry = models.JSONField(_("地理位置"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = SubdistrictQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("街道/地区")
        verbose_name_plural = _("街道/地区")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("kindergartens:subdistrict_detail", args=[self.pk])


class KindergartenQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="pk", subdistrict="subdistrict")

    def public(self) -> KindergartenQuerySet:
        return self.filter(sponsor_type__in=PUBLIC_SPONSORS)

    def private(self) -> KindergartenQuerySet:
        return self.exclude(sponsor_type__in=PUBLIC_SPONSORS)

    def name_noncompliant(self) -> KindergartenQuerySet:
        return self.filter(name_compliant=False)

    def operating(self) -> KindergartenQuerySet:
        """Kindergartens that take children now: licensed ones and community points."""
        return self.filter(licence_status__in=[LicenceStatus.LICENSED, LicenceStatus.COMMUNITY_POINT])

    def as_condition(self, path: str = "kindergarten") -> models.Q:
        """A condition on rows whose kindergarten (at `path`) is one of these; none when this selects
        every kindergarten, so that a district-wide count reads its rows without a semi-join
        against all kindergartens (9 million posts a night at national scale)."""
        return models.Q(**{f"{path}__in": self.order_by().values("pk")}) if self.query.has_filters() else models.Q()


phone_validator = RegexValidator(r"^[0-9+\-() ]{5,20}$", _("电话号码只能包含数字、空格和 + - ( )。"))
code_validator = RegexValidator(r"^[0-9A-Za-z\-]{4,20}$", _("编码应为 4–20 位字母、数字或连字符。"))


class Kindergarten(models.Model):
    """One kindergarten or community childcare point (社区办园点), licensed or not."""

    # Fields a director may keep current for their own kindergarten; the rest is the bureau's.
    DIRECTOR_EDITABLE_FIELDS = ("address", "phone", "principal", "latitude", "longitude")

    code = models.CharField(_("幼儿园编码"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("幼儿园名称"), max_length=100)
    subdistrict = models.ForeignKey(
        Subdistrict, verbose_name=_("街道/地区"), on_delete=models.PROTECT, related_name="kindergartens"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    principal = models.CharField(_("园长"), max_length=50, blank=True)

    sponsor_type = models.CharField(_("举办者类型"), max_length=32, choices=SponsorType.choices)
    # The licence's 举办者; the credit records (`governance`) take the sponsor's name from here.
    sponsor_name = models.CharField(_("举办者名称"), max_length=100, blank=True)
    inclusive_status = models.CharField(_("普惠性质"), max_length=32, choices=InclusiveStatus.choices)
    recognition_date = models.DateField(_("普惠认定日期"), null=True, blank=True)
    recognition_expiry = models.DateField(_("普惠认定有效期至"), null=True, blank=True)
    licence_status = models.CharField(
        _("办园许可状态"), max_length=32, choices=LicenceStatus.choices, default=LicenceStatus.LICENSED
    )
    is_village_centre = models.BooleanField(_("村中心园"), default=False)
    day_type = models.CharField(
        _("办园时制"),
        max_length=16,
        choices=DayType.choices,
        default=DayType.FULL_DAY,
        help_text=_("全日制或半日制：两者的教职工配备标准不同"),
    )
    branch_of = models.ForeignKey(
        "self",
        verbose_name=_("所属总园"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        help_text=_("分园填写其总园"),
    )

    is_estate_kindergarten = models.BooleanField(_("居住区配套园"), default=False)
    estate_name = models.CharField(_("配套居住区名称"), max_length=100, blank=True)
    estate_stage = models.CharField(_("配套园阶段"), max_length=16, choices=EstateStage.choices, blank=True)
    estate_planning_gap = models.BooleanField(_("规划不到位"), default=False)
    estate_construction_gap = models.BooleanField(_("配建不到位"), default=False)
    estate_handover_gap = models.BooleanField(_("移交不到位"), default=False)
    estate_use_gap = models.BooleanField(_("使用不到位"), default=False)
    entrusted_management_expiry = models.DateField(_("委托管理协议到期日"), null=True, blank=True)

    approved_capacity = models.PositiveIntegerField(_("核定学位数"), default=0)
    international_seats = models.PositiveIntegerField(_("国际化学位数"), default=0)
    has_toddler_classes = models.BooleanField(_("开设托班"), default=False)

    # Kept by `naming.refresh_name_compliance` so the list can filter on it in the database.
    name_compliant = models.BooleanField(_("名称合规"), default=True, editable=False)
    name_violations = models.JSONField(_("名称问题"), default=list, blank=True, editable=False)

    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = KindergartenQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("幼儿园")
        verbose_name_plural = _("幼儿园")
        indexes = [
            models.Index(fields=["subdistrict", "sponsor_type"]),
            models.Index(fields=["licence_status"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        from .naming import Rules, apply_check

        apply_check(self, Rules.load(exclude_pk=self.pk))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_compliant", "name_violations"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("kindergartens:kindergarten_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.sponsor_type in PUBLIC_SPONSORS

    @property
    def ownership(self) -> str:
        return Ownership.PUBLIC if self.is_public else Ownership.PRIVATE

    def get_ownership_display(self) -> str:
        return Ownership(self.ownership).label

    @property
    def estate_gaps(self) -> list[str]:
        """Labels of the four 'not in place' failures (规划/配建/移交/使用 不到位) that apply."""
        names = ("estate_planning_gap", "estate_construction_gap", "estate_handover_gap", "estate_use_gap")
        return [str(self._meta.get_field(n).verbose_name) for n in names if getattr(self, n)]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}

        def add(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        if self.sponsor_type:
            if self.is_public and self.inclusive_status and self.inclusive_status != InclusiveStatus.PUBLIC:
                add("inclusive_status", _("公办举办者开办的幼儿园，普惠性质应为“公办园”。"))
            if not self.is_public and self.inclusive_status == InclusiveStatus.PUBLIC:
                add("inclusive_status", _("民办幼儿园不能登记为“公办园”。"))
            if (
                self.sponsor_type == SponsorType.PRIVATE_FORPROFIT
                and self.inclusive_status == InclusiveStatus.INCLUSIVE_PRIVATE
            ):
                add("inclusive_status", _("营利性民办园不能认定为普惠性民办园。"))
        if self.inclusive_status == InclusiveStatus.INCLUSIVE_PRIVATE:
            if not self.recognition_date:
                add("recognition_date", _("普惠性民办园须填写认定日期。"))
        elif self.recognition_date or self.recognition_expiry:
            add("recognition_date", _("只有普惠性民办园填写认定日期和有效期。"))
        if self.recognition_date and self.recognition_expiry and self.recognition_expiry <= self.recognition_date:
            add("recognition_expiry", _("认定有效期须晚于认定日期。"))

        if self.is_estate_kindergarten:
            if not self.estate_stage:
                add("estate_stage", _("居住区配套园须填写所处阶段。"))
        else:
            gap_fields = ("estate_planning_gap", "estate_construction_gap", "estate_handover_gap", "estate_use_gap")
            if self.estate_name or self.estate_stage or any(getattr(self, f) for f in gap_fields):
                add("is_estate_kindergarten", _("填写了配套居住区信息，请勾选“居住区配套园”。"))

        if self.branch_of_id:
            if self.pk and self.branch_of_id == self.pk:
                add("branch_of", _("幼儿园不能是自己的分园。"))
            elif self.branch_of.branch_of_id:
                add("branch_of", _("总园本身不能是分园。"))
        if self.international_seats > self.approved_capacity:
            add("international_seats", _("国际化学位数不能超过核定学位数。"))
        if (self.latitude is None) != (self.longitude is None):
            add("longitude", _("经纬度须同时填写或同时留空。"))
        if errors:
            raise ValidationError(errors)

    def is_inclusive_on(self, day) -> bool:
        """Counts as inclusive on `day`: public, or recognised and the recognition covers the day."""
        if self.is_public:
            return True
        if self.inclusive_status != InclusiveStatus.INCLUSIVE_PRIVATE or not self.recognition_date:
            return False
        return self.recognition_date <= day and (self.recognition_expiry is None or self.recognition_expiry > day)


class NamingRule(models.Model):
    """One banned word of the naming rules (名称规范); the bureau edits the list in the admin."""

    category = models.CharField(_("规则类别"), max_length=32, choices=NamingRuleCategory.choices)
    word = models.CharField(_("词语"), max_length=50)
    private_only = models.BooleanField(_("仅适用于民办园"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = DistrictWideQuerySet.as_manager()

    class Meta:
        ordering = ["category", "word"]
        constraints = [models.UniqueConstraint(fields=["category", "word"], name="unique_naming_rule")]
        verbose_name = _("名称规范规则")
        verbose_name_plural = _("名称规范规则")

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.word}"


class EstateRecordQuerySet(ScopedQuerySet):
    # Officials read them within their scope; only the bureau writes them (estates services).
    scope = ScopePaths(kindergarten="kindergarten", subdistrict="kindergarten__subdistrict")
    change_roles = frozenset()

    def open_on(self, day) -> EstateRecordQuerySet:
        """Gaps open on `day`: begun on or before it, not resolved on or before it."""
        return self.filter(models.Q(resolved_on__isnull=True) | models.Q(resolved_on__gt=day), since__lte=day)


class EstateStageChange(models.Model):
    """A residential-estate kindergarten entering a stage (规划 → 建设 → 移交 → 使用) on a date.

    The latest row is the stage the registry's `estate_stage` shows; `estates.estate_stage_move`
    writes both.
    """

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.CASCADE, related_name="estate_stage_changes"
    )
    stage = models.CharField(_("配套园阶段"), max_length=16, choices=EstateStage.choices)
    date = models.DateField(_("进入日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = EstateRecordQuerySet.as_manager()

    class Meta:
        ordering = ["kindergarten", "date", "pk"]
        verbose_name = _("配套园阶段记录")
        verbose_name_plural = _("配套园阶段记录")

    def __str__(self) -> str:
        return f"{self.kindergarten} {self.get_stage_display()} {self.date}"


class EstateGap(models.Model):
    """One period in which an estate kindergarten was not in place in one respect (…不到位).

    Open while `resolved_on` is empty; at most one open gap per kind and kindergarten. The
    registry's four booleans mirror the open gaps (`estates.estate_gap_open` / `_resolve`).
    """

    kindergarten = models.ForeignKey(
        Kindergarten, verbose_name=_("幼儿园"), on_delete=models.CASCADE, related_name="estate_gap_records"
    )
    kind = models.CharField(_("不到位类型"), max_length=16, choices=EstateGapKind.choices)
    since = models.DateField(_("起始日期"))
    resolved_on = models.DateField(_("解决日期"), null=True, blank=True)
    owner = models.CharField(_("责任主体"), max_length=32, choices=EstateOwner.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = EstateRecordQuerySet.as_manager()

    class Meta:
        ordering = ["kindergarten", "since", "pk"]
        verbose_name = _("配套园不到位记录")
        verbose_name_plural = _("配套园不到位记录")
        constraints = [
            models.UniqueConstraint(
                fields=["kindergarten", "kind"],
                condition=models.Q(resolved_on__isnull=True),
                name="one_open_estate_gap_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kindergarten} {self.get_kind_display()}"

    def clean(self) -> None:
        super().clean()
        if self.resolved_on and self.since and self.resolved_on < self.since:
            raise ValidationError({"resolved_on": _("解决日期不能早于起始日期。")})

    def days_lasted(self, today) -> int:
        """Days from `since` to the resolution, or to `today` while still open."""
        return ((self.resolved_on or today) - self.since).days
