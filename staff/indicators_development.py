"""The indicators of staff development and pay, registered with `reports.registry`.

Terms, for a date D (see `staff.selectors_development` for the shared rules)
----------------------------------------------------------------------------
- ``dual_certificate_rate`` (双证上岗率): principals (园长, 副园长) in post on D whose post began
  within the plan period D falls in (up to D) and who hold, on D, a valid principal certificate
  and a valid teacher qualification ÷ those principals.
- ``principal_credit_completion`` (园长学分完成率): the last complete calendar year Y = D.year − 1;
  principals in post on 31 December Y who earned at least their stage's required credits in Y ÷
  those principals. A principal without a recorded stage counts as not completing.
- ``social_insurance_coverage`` (社会保险覆盖率): the pay filings of year Y = D.year − 1: people
  covered by social insurance ÷ people required to be covered, summed over the filings.

Every scope (district, sub-districts, sponsor types) is summed from one GROUP BY per indicator
over (sub-district, sponsor type); ``reports`` imports nothing from here.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import BooleanField, Count, Q, Sum
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.sql import splice
from common.temp_tables import temp_tables
from kindergartens.models import Kindergarten
from reports.choices import Comparison
from reports.registry import IndicatorContext, IndicatorDefinition, IndicatorSource, Tally, Unit, register
from reports.scopes import GroupSums, Scope

from .day_figures import day_figures, grouped_dual
from .models import PayFiling, StaffMember
from .selectors_development import credit_joins, principal_posts

DUAL_CERTIFICATE_RATE = "dual_certificate_rate"
PRINCIPAL_CREDIT_COMPLETION = "principal_credit_completion"
SOCIAL_INSURANCE_COVERAGE = "social_insurance_coverage"
CODES = (DUAL_CERTIFICATE_RATE, PRINCIPAL_CREDIT_COMPLETION, SOCIAL_INSURANCE_COVERAGE)
K = "kindergarten__"
GROUP = (f"{K}subdistrict", f"{K}sponsor_type")


def last_complete_year(day: datetime.date) -> int:
    return day.year - 1


def _grouped(queryset, *, counted, total) -> GroupSums:
    """(counted, total) per scope, added up by the database (reports.scopes.GroupSums)."""
    rows = queryset.values(*GROUP).annotate(counted=counted, total=total).values_list(*GROUP, "counted", "total")
    return GroupSums.in_database(rows.order_by(), 2)


def _dual_groups(context: IndicatorContext) -> GroupSums:
    """The principals appointed within the plan period and those holding both certificates, from
    each kindergarten's figures of the day (`staff.day_figures`: the table the staffing checks read)."""
    kindergartens = Kindergarten.objects.filter(context.within())
    with temp_tables(context.tables) as tables:  # the engine's, shared with the other sources
        return GroupSums.in_database(grouped_dual(day_figures(tables, kindergartens, context.day)), 2)


def _credit_groups(context: IndicatorContext) -> GroupSums:
    """The principals of each group and those who completed their credits: `with_credits`' rule,
    with each person's stage, requirement and credits joined (`credit_joins`) instead of looked up
    per post."""
    year = last_complete_year(context.day)
    year_end = datetime.date(year, 12, 31)
    table = connection.ops.quote_name(StaffMember._meta.db_table)
    joins, completed = credit_joins(year, year_end, f"{table}.person_id")
    posts = principal_posts(year_end).filter(context.within(K))
    posts = posts.annotate(completed=RawSQL(completed, (), output_field=BooleanField()))
    rows = posts.values(*GROUP).annotate(counted=Count("pk", filter=Q(completed=True)), total=Count("pk"))
    rows = rows.values_list(*GROUP, "counted", "total").order_by()
    return GroupSums.in_database(splice(rows.query.sql_with_params(), f" FROM {table}", joins), 2)


def _insurance_groups(context: IndicatorContext) -> GroupSums:
    filings = PayFiling.objects.filter(context.within(K), year=last_complete_year(context.day))
    return _grouped(filings, total=Sum("insurance_required"), counted=Sum("insurance_covered"))


def compute_development_figures(context: IndicatorContext) -> dict[Scope, dict[str, Tally]]:
    """Three GROUP BY queries; every scope summed from their group rows."""
    # Summed per scope by the database, not rows × scopes (reports.scopes.GroupSums): testing every
    # group row against 40,000 sub-districts never finished at national scale with staff records.
    sums = {
        DUAL_CERTIFICATE_RATE: _dual_groups(context),
        PRINCIPAL_CREDIT_COMPLETION: _credit_groups(context),
        SOCIAL_INSURANCE_COVERAGE: _insurance_groups(context),
    }
    return {scope: {code: Tally(*found.of(scope)) for code, found in sums.items()} for scope in context.scopes}


def _with_subdistrict(url: str, subdistrict_id: int | None, extra: str = "") -> str:
    query = "&".join(q for q in (extra, f"subdistrict={subdistrict_id}" if subdistrict_id else "") if q)
    return f"{url}?{query}" if query else url


def dual_certificate_url(subdistrict_id: int | None) -> str:
    return _with_subdistrict(reverse("staff:principal_certificates"), subdistrict_id)


def credit_url(subdistrict_id: int | None) -> str:
    return _with_subdistrict(reverse("staff:principal_credits"), subdistrict_id, "behind=true")


def insurance_url(subdistrict_id: int | None) -> str:
    return _with_subdistrict(reverse("staff:pay_list"), subdistrict_id)


def _ratio(code, label, short, numerator, denominator, definition, order, url) -> IndicatorDefinition:
    return IndicatorDefinition(
        code=code,
        label=label,
        short_label=short,
        unit=Unit.RATIO,
        direction=Comparison.AT_LEAST,
        binds_parts=True,
        order=order,
        numerator_label=numerator,
        denominator_label=denominator,
        breakdown_url=url,
        definition=definition,
    )


INDICATORS = (
    _ratio(
        DUAL_CERTIFICATE_RATE,
        _("新任园长双证上岗率"),
        _("双证上岗"),
        _("持双证园长"),
        _("规划期内任职的园长"),
        _(
            "规划期内（以规划期数据为准，“十四五”为 2021-01-01 至 2025-12-31）任职且统计日期在岗的园长、副园长中，"
            "统计日期同时持有有效的园长任职资格（培训合格）证和教师资格证的人数 ÷ 这些园长的人数。"
        ),
        70,
        dual_certificate_url,
    ),
    _ratio(
        PRINCIPAL_CREDIT_COMPLETION,
        _("园长年度学分完成率"),
        _("园长学分"),
        _("达到学分要求的园长"),
        _("在岗园长"),
        _(
            "统计日期上一自然年 12 月 31 日在岗的园长、副园长中，当年培训学分不低于其发展阶段学分要求的人数 ÷ "
            "这些园长的人数。未登记发展阶段的园长计为未完成。"
        ),
        71,
        credit_url,
    ),
    _ratio(
        SOCIAL_INSURANCE_COVERAGE,
        _("教职工社会保险覆盖率"),
        _("社保覆盖"),
        _("已参保人数"),
        _("应参保人数"),
        _("统计日期上一自然年的工资待遇年度填报中，已参加社会保险的教职工人数之和 ÷ 应参加社会保险的人数之和。"),
        72,
        insurance_url,
    ),
)

SOURCE = register(IndicatorSource(indicators=INDICATORS, compute=compute_development_figures))
