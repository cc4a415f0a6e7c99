"""Versioned targets, dated indicator snapshots, computation runs and early warnings."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.permissions import Act, may
from accounts.scoping import DistrictWideQuerySet, ScopedQuerySet, ScopePaths
from enrollment.choices import PopulationBasis

from . import registry
from .choices import Authority, Comparison, RunStatus, ScopeType, ScorecardStatus, WarningKind


def _integer_ratio(number: int | Decimal) -> tuple[int, int]:
    """(p, q) with number = p / q and q > 0, exactly (ints, Decimals, Fractions)."""
    return (number, 1) if isinstance(number, int) else number.as_integer_ratio()


def meets(
    comparison: str,
    target: Decimal,
    numerator: int | Decimal | None,
    denominator: int | Decimal | None,
    *,
    ratio: bool,
) -> bool | None:
    """Whether the exact figure meets `target`: the one definition of met / not met.

    A ratio compares numerator ≥ target × denominator (≤ for an "at most" target) in integers,
    so 360,008 / 400,009 = 0.89999975 misses 90 % however its value is stored or shown; a ratio
    without a denominator (0 or unknown) has no verdict. A count compares its numerator. Never a
    stored or printed value: those are cut to a few places.
    """
    if numerator is None:
        return None
    n_p, n_q = _integer_ratio(numerator)
    t_p, t_q = _integer_ratio(target)
    if ratio:
        if not denominator:
            return None
        # Denominators count children, classes or seats: positive whenever there is one.
        d_p, d_q = _integer_ratio(denominator)
        left, right = n_p * t_q * d_q, t_p * d_p * n_q
    else:
        left, right = n_p * t_q, t_p * n_q
    return left >= right if comparison == Comparison.AT_LEAST else left <= right


class TargetQuerySet(DistrictWideQuerySet):
    def in_force(self, day) -> TargetQuerySet:
        return self.filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day), valid_from__lte=day)


class Target(models.Model):
    """A target value for an indicator, set by an authority for a period (data, not code)."""

    # Any registered indicator's code (reports.registry): the list is open to every app's indicators.
    indicator = models.CharField(_("指标"), max_length=40)
    authority = models.CharField(_("制定主体"), max_length=16, choices=Authority.choices)
    comparison = models.CharField(_("比较方式"), max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST)
    value = models.DecimalField(
        _("目标值"), max_digits=12, decimal_places=4, help_text=_("比率以小数表示，如 0.9 即 90%")
    )
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    source = models.CharField(_("依据文件"), max_length=200)
    history = HistoricalRecords()

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "authority", "-valid_from"]
        verbose_name = _("目标值")
        verbose_name_plural = _("目标值")

    def __str__(self) -> str:
        return f"{self.indicator_label} {self.get_comparison_display()} {self.value}（{self.get_authority_display()}）"

    @property
    def indicator_label(self) -> str:
        return registry.label(self.indicator)

    def clean(self) -> None:
        # The codes are open (no `choices`), so the field is checked against the registry here,
        # with Django's own message for a choice that does not exist.
        if self.indicator and registry.find(self.indicator) is None:
            field = self._meta.get_field("indicator")
            error = ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice", params={"value": self.indicator}
            )
            raise ValidationError({"indicator": error})
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("失效日期不能早于生效日期。")})

    def is_met(self, numerator: int | Decimal | None, denominator: int | Decimal | None, *, ratio: bool) -> bool | None:
        """Whether the exact figure numerator ÷ denominator (a count: the numerator) meets this target."""
        return meets(self.comparison, self.value, numerator, denominator, ratio=ratio)


class SnapshotQuerySet(ScopedQuerySet):
    # District-wide and ownership rows have no sub-district: only bureau staff see them.
    scope = ScopePaths(kindergarten=None, subdistrict="subdistrict")
    change_roles = frozenset()


class IndicatorSnapshot(models.Model):
    """One indicator's value for one scope on one date, as computed by the nightly job."""

    # No index of its own: the unique constraint's index leads with the date and serves every
    # lookup by date (one index less to fill for the nightly job's million rows).
    date = models.DateField(_("统计日期"))
    scope_type = models.CharField(_("范围类型"), max_length=16, choices=ScopeType.choices)
    scope_key = models.CharField(
        _("范围"), max_length=40, help_text=_("全区为 district；街道为统计代码；举办者类型为其代码")
    )
    subdistrict = models.ForeignKey(
        "kindergartens.Subdistrict",
        verbose_name=_("街道/地区"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="snapshots",
        # No database constraint: its per-row check cost the nightly job's COPY of a million rows
        # a third of its time (docs/benchmarks.md). The job writes only ids it has just read, and
        # deleting a sub-district still deletes its snapshots (on_delete, in Django).
        db_constraint=False,
    )
    indicator = models.CharField(_("指标"), max_length=40)  # a registered code, see Target.indicator
    numerator = models.DecimalField(_("分子"), max_digits=14, decimal_places=2)
    denominator = models.DecimalField(_("分母"), max_digits=14, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(_("指标值"), max_digits=14, decimal_places=6, null=True, blank=True)
    target = models.DecimalField(_("目标值"), max_digits=12, decimal_places=4, null=True, blank=True)
    met = models.BooleanField(_("是否达标"), null=True)
    # The national standard in force on the date, kept beside Chaoyang's so history shows both.
    national_target = models.DecimalField(_("国家标准值"), max_digits=12, decimal_places=4, null=True, blank=True)
    national_met = models.BooleanField(_("是否达到国家标准"), null=True)
    # domain.md §1: the population basis of a gross enrolment rate is stored with it.
    population_basis = models.CharField(_("人口口径"), max_length=16, choices=PopulationBasis.choices, blank=True)
    # Reporting completeness the figure was computed with (docs/indicators.md, "Official figures and completeness"):
    # empty for a figure that does not come from kindergartens' reports.
    reports_expected = models.PositiveIntegerField(_("应报园所数"), null=True, blank=True)
    reports_received = models.PositiveIntegerField(_("已报园所数"), null=True, blank=True)
    seats_expected = models.PositiveIntegerField(_("应报园所核定学位"), null=True, blank=True)
    seats_reported = models.PositiveIntegerField(_("已报园所核定学位"), null=True, blank=True)
    provisional = models.BooleanField(_("暂定"), null=True, help_text=_("学年尚未由区教委锁定，数据可能变动"))
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "scope_type", "scope_key", "indicator"]
        verbose_name = _("指标快照")
        verbose_name_plural = _("指标快照")
        constraints = [
            models.UniqueConstraint(fields=["date", "scope_type", "scope_key", "indicator"], name="unique_snapshot")
        ]
        indexes = [
            # The dates of the district-wide scopes' figures (the district, each sponsor type)
            # without reading every night's rows (reports.dates.snapshot_dates); a sub-district's
            # come through its id's index. Partial: its few rows a night cost the nightly COPY
            # nothing, where an index of every row in indicator order cost it 1.8 s at national
            # scale (docs/benchmarks.md).
            models.Index(
                fields=["scope_type", "date", "indicator"],
                condition=~models.Q(scope_type=ScopeType.SUBDISTRICT),
                name="snapshot_district_wide_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.scope_key} {self.indicator}"

    @property
    def indicator_label(self) -> str:
        return registry.label(self.indicator)

    @property
    def completeness(self) -> registry.Completeness | None:
        return completeness_from(self.__dict__)


# The snapshot's columns holding a figure's completeness, in `registry.Completeness` order.
COMPLETENESS_FIELDS = ("reports_expected", "reports_received", "seats_expected", "seats_reported", "provisional")


def completeness_fields(completeness: registry.Completeness | None) -> dict:
    """The snapshot columns for a figure's completeness (all empty without one)."""
    if completeness is None:
        return dict.fromkeys(COMPLETENESS_FIELDS)
    return dict(
        zip(
            COMPLETENESS_FIELDS,
            (
                completeness.expected,
                completeness.reported,
                completeness.expected_seats,
                completeness.reported_seats,
                completeness.provisional,
            ),
            strict=True,
        )
    )


def completeness_from(row: dict) -> registry.Completeness | None:
    """A stored completeness from a snapshot's columns (a `values()` dict or the instance's)."""
    if row.get("reports_expected") is None:
        return None
    return registry.Completeness(*(row[name] or 0 for name in COMPLETENESS_FIELDS[:4]), bool(row["provisional"]))


class SubdistrictStanding(models.Model):
    """A sub-district's place in the district ranking on a date, derived by the nightly job from that
    date's snapshots (`reports.standings`), so the dashboard ranks 40,000 sub-districts by reading an
    index instead of grouping their 120,000 headline snapshots at each request."""

    date = models.DateField(_("统计日期"))
    # Derived from snapshots that reference the sub-district: no constraint to check per row (the
    # job writes 160,000 at national scale); Django still deletes the rows with the sub-district.
    subdistrict = models.ForeignKey(
        "kindergartens.Subdistrict", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    scope_key = models.CharField(_("范围"), max_length=40)
    figures = models.PositiveSmallIntegerField(_("目标指标快照数"))  # 0: only overdue counts
    worst_gap = models.DecimalField(_("最大差距"), max_digits=20, decimal_places=6, null=True)
    misses = models.PositiveSmallIntegerField(_("未达标指标数"))
    overdue = models.DecimalField(_("逾期事项"), max_digits=16, decimal_places=2)
    # What the figures were derived with besides the snapshots (targets in force, headline and
    # overdue codes): a page whose basis differs ranks from the snapshots instead.
    basis = models.CharField(_("依据"), max_length=32)

    class Meta:
        verbose_name = _("街道排名")
        verbose_name_plural = _("街道排名")
        constraints = [models.UniqueConstraint(fields=["date", "subdistrict"], name="unique_subdistrict_standing")]
        indexes = [
            models.Index(fields=["date", "worst_gap"]),
            models.Index(fields=["date", "overdue"], condition=models.Q(overdue__gt=0), name="standing_overdue"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.scope_key}"


class FigureStanding(models.Model):
    """One headline figure of a sub-district on a date (`SubdistrictStanding`): its gap to the main
    target and verdict, as `reports.ranking` computes them; a row without a snapshot (`snapshot`
    empty) where the sub-district has other headline figures but not this one, so a sort by this
    indicator reads every sub-district in order."""

    date = models.DateField(_("统计日期"))
    # Derived from snapshots that reference the sub-district: no constraint to check per row (the
    # job writes 160,000 at national scale); Django still deletes the rows with the sub-district.
    subdistrict = models.ForeignKey(
        "kindergartens.Subdistrict", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    scope_key = models.CharField(_("范围"), max_length=40)
    indicator = models.CharField(_("指标"), max_length=40)
    # No database constraint and no cascade: the job replaces a date's snapshots with a fast
    # DELETE, then this table's rows (`reports.standings.write_standings`).
    snapshot = models.ForeignKey(
        IndicatorSnapshot,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    gap = models.DecimalField(_("差距"), max_digits=20, decimal_places=6, null=True)
    short = models.BooleanField(_("未达标"))
    # reports_received / reports_expected while reports are missing, else empty.
    share = models.FloatField(_("上报率"), null=True)

    class Meta:
        verbose_name = _("街道指标排名")
        verbose_name_plural = _("街道指标排名")
        # Few indexes (each costs the nightly job): the sorts by an indicator, and partial ones for
        # the "needs attention" lists (figures short of a target; reports missing).
        indexes = [
            models.Index(fields=["date", "indicator", "gap"]),
            models.Index(fields=["date", "gap"], condition=models.Q(short=True), name="figure_standing_short"),
            models.Index(
                fields=["date", "share"], condition=models.Q(share__isnull=False), name="figure_standing_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.scope_key} {self.indicator}"


class ComputationRun(models.Model):
    """One run of the nightly computation: when, how it ended, and why if it failed."""

    date = models.DateField(_("统计日期"))
    status = models.CharField(_("状态"), max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("触发人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    snapshot_count = models.PositiveIntegerField(_("快照条数"), default=0)
    warning_count = models.PositiveIntegerField(_("预警条数"), default=0)
    report_file = models.CharField(_("报告文件"), max_length=255, blank=True)
    # On databases without advisory locks (SQLite) the running run holds this unique marker, so a
    # second run cannot start while it is set (see reports.services); NULLs do not collide.
    lock_token = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    # Who runs it (reports.liveness): the host and process id; on PostgreSQL the run's database
    # session also holds an advisory lock keyed on the run, which the database frees if it dies.
    holder_host = models.CharField(_("运行主机"), max_length=255, blank=True, editable=False)
    holder_pid = models.PositiveIntegerField(_("进程号"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("计算任务")
        verbose_name_plural = _("计算任务")

    def __str__(self) -> str:
        return f"{self.date} {self.get_status_display()}"


class WarningQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten="kindergarten", subdistrict="subdistrict")
    change_roles = frozenset()


class EarlyWarning(models.Model):
    """A resource early warning (资源预警) raised by the computation for a date."""

    date = models.DateField(_("统计日期"), db_index=True)
    kind = models.CharField(_("预警类型"), max_length=32, choices=WarningKind.choices)
    subdistrict = models.ForeignKey(
        "kindergartens.Subdistrict", verbose_name=_("街道/地区"), on_delete=models.CASCADE, related_name="warnings"
    )
    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten",
        verbose_name=_("幼儿园"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="warnings",
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    demand = models.IntegerField(_("需求"), null=True, blank=True)
    supply = models.IntegerField(_("供给"), null=True, blank=True)
    shortfall = models.IntegerField(_("缺口"), null=True, blank=True)
    message = models.CharField(_("说明"), max_length=300)

    objects = WarningQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "kind", "-shortfall"]
        verbose_name = _("资源预警")
        verbose_name_plural = _("资源预警")

    def __str__(self) -> str:
        return self.message


class ForecastQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten=None, subdistrict="subdistrict")
    change_roles = frozenset()


class SeatForecast(models.Model):
    """Forecast demand for places against seats, per sub-district and future year, as of a date."""

    date = models.DateField(_("统计日期"), db_index=True)
    subdistrict = models.ForeignKey(
        "kindergartens.Subdistrict",
        verbose_name=_("街道/地区"),
        on_delete=models.CASCADE,
        related_name="forecasts",
        # No database constraint, as for the snapshots: its deferred check of 200,000 rows a night
        # at national scale held the job's commit for half a second (docs/benchmarks.md). The job
        # writes only ids it has just read; deleting a sub-district still deletes its forecast.
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField(_("预测年份"))
    cohort = models.PositiveIntegerField(_("3–5 岁常住儿童（预测）"))
    demand = models.PositiveIntegerField(_("学位需求"))
    seats = models.PositiveIntegerField(_("学位供给"))
    shortfall = models.IntegerField(_("学位缺口"), help_text=_("需求减供给；正数为缺口"))

    objects = ForecastQuerySet.as_manager()

    class Meta:
        ordering = ["date", "subdistrict", "year"]
        verbose_name = _("学位需求预测")
        verbose_name_plural = _("学位需求预测")
        constraints = [models.UniqueConstraint(fields=["date", "subdistrict", "year"], name="unique_seat_forecast")]

    def __str__(self) -> str:
        return f"{self.subdistrict} {self.year}"


class ScorecardMethodQuerySet(DistrictWideQuerySet):
    def in_force(self, day) -> ScorecardMethodQuerySet:
        return self.filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day), valid_from__lte=day)


class ScorecardMethod(models.Model):
    """The published scoring method of the sub-district scorecard (街道考核), a version per period.

    `items` is a list of ``{"indicator", "weight", "direction", "rule", "target"?, "cap"?}``; see
    `reports.scorecards` for the rules and docs/scorecard.md for the method as published.
    """

    name = models.CharField(_("名称"), max_length=100)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    items = models.JSONField(_("评分项目"), default=list)
    source = models.CharField(_("依据文件"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = ScorecardMethodQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("街道考核评分办法")
        verbose_name_plural = _("街道考核评分办法")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        from .scorecards import item_errors

        errors = item_errors(self.items)
        if errors:
            raise ValidationError({"items": errors})
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("失效日期不能早于生效日期。")})


class ScorecardQuerySet(ScopedQuerySet):
    scope = ScopePaths(kindergarten=None, subdistrict="subdistrict")
    change_roles = frozenset()

    def for_reader(self, user) -> ScorecardQuerySet:
        """Cards `user` may read: within their scope, and drafts only for those who publish them."""
        visible = self.visible_to(user)
        return visible if may(user, Act.REVIEW) else visible.filter(status=ScorecardStatus.PUBLISHED)


class Scorecard(models.Model):
    """One sub-district's scorecard for a school year, computed from that year's snapshots."""

    year = models.PositiveSmallIntegerField(_("学年"), help_text=_("学年起始年份，如 2025 即 2025–2026 学年"))
    subdistrict = models.ForeignKey(
        "kindergartens.Subdistrict", verbose_name=_("街道/地区"), on_delete=models.CASCADE, related_name="scorecards"
    )
    method = models.ForeignKey(ScorecardMethod, verbose_name=_("评分办法"), on_delete=models.PROTECT)
    date = models.DateField(_("统计日期"))
    items = models.JSONField(_("各项得分"), default=list)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    # 40,000 sub-districts at national scale: past a smallint.
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    previous_score = models.DecimalField(_("上年得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ScorecardStatus.choices, default=ScorecardStatus.DRAFT)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        ordering = ["year", "rank", "subdistrict__code"]
        verbose_name = _("街道考核评分")
        verbose_name_plural = _("街道考核评分")
        constraints = [models.UniqueConstraint(fields=["year", "subdistrict"], name="unique_scorecard")]

    def __str__(self) -> str:
        return f"{self.year} {self.subdistrict}"

    @property
    def trend(self) -> Decimal | None:
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score


from .follow_up import WarningFollowUp, WarningNote  # noqa: E402,F401  (models of their own module)
