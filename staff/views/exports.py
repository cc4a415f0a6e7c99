"""xlsx exports of the development lists: each is its list page's rows (the same scoped queryset
and the same filters, all pages), written through `common.spreadsheets` (every string as text,
never a formula). ID numbers are never exported from these lists."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.spreadsheets import Sheet, xlsx_response
from common.spreadsheets.columns import DateColumn, DecimalColumn, IntegerColumn, TextColumn
from kindergartens.models import Kindergarten

from ..choices import CareerStage
from ..models import ResearchTeam
from .ethics import EthicsListView
from .pay import PayListView
from .principals import PrincipalCreditView, _year
from .research import PairingListView, ResearchListView
from .training import TitleApplicationListView, TrainingListView


def _text(header: str, field: str) -> TextColumn:
    return TextColumn(header=header, field=field)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("是") if value else _("否"))


class ExportMixin:
    """`get` answers the list's filtered rows (every page) as a workbook instead of the page.

    The list view's `get_queryset` scopes the rows (`accounts.scoping`, as the page does) and its
    FilterSet filters them; an invalid filter exports nothing, as the page lists nothing."""

    export_name = ""  # the Chinese file name, without the date
    export_fallback = ""  # the ASCII file name, without the date

    def export_columns(self) -> list:
        raise NotImplementedError

    def export_row(self, row: Any) -> dict[str, Any]:
        raise NotImplementedError

    def export_queryset(self, rows):
        """The rows with whatever `export_row` reads beyond the page (prefetches), so the number of
        queries does not grow with the rows."""
        return rows

    def get(self, request, *args, **kwargs) -> HttpResponse:
        filterset = self.get_filterset(self.get_filterset_class())
        valid = not filterset.is_bound or filterset.is_valid() or not self.get_strict()  # as FilterView.get
        rows = filterset.qs if valid else filterset.queryset.none()
        day = timezone.localdate().strftime("%Y%m%d")
        sheet = Sheet(
            title=self.export_name[:31],
            columns=self.export_columns(),
            rows=(self.export_row(r) for r in self.export_queryset(rows).iterator(chunk_size=2000)),
            notes=[_("导出时间：%(now)s") % {"now": timezone.localtime().strftime("%Y-%m-%d %H:%M")}],
        )
        return xlsx_response(f"{self.export_name}-{day}.xlsx", [sheet], fallback=f"{self.export_fallback}-{day}.xlsx")


class TrainingExportView(ExportMixin, TrainingListView):
    export_name, export_fallback = "培训记录", "trainings"

    def export_columns(self):
        return [
            DateColumn(header=_("培训日期"), field="attended_on"),
            _text(_("姓名"), "person"),
            _text(_("幼儿园编码"), "code"),
            _text(_("幼儿园"), "kindergarten"),
            _text(_("培训名称"), "title"),
            _text(_("级别"), "level"),
            _text(_("方式"), "mode"),
            DecimalColumn(header=_("学时"), field="hours"),
            DecimalColumn(header=_("学分"), field="credits"),
            _text(_("来源"), "source"),
        ]

    def export_row(self, r):
        return {
            "attended_on": r.attended_on,
            "person": r.person.name,
            "code": r.kindergarten.code,
            "kindergarten": r.kindergarten.name,
            "title": r.title,
            "level": r.get_level_display(),
            "mode": r.get_mode_display(),
            "hours": r.hours,
            "credits": r.credits,
            "source": r.get_source_display(),
        }


class TitleApplicationExportView(ExportMixin, TitleApplicationListView):
    export_name, export_fallback = "职称申报", "title-applications"

    def export_columns(self):
        return [
            _text(_("姓名"), "person"),
            _text(_("幼儿园编码"), "code"),
            _text(_("幼儿园"), "kindergarten"),
            _text(_("申报职称"), "title"),
            DateColumn(header=_("申报日期"), field="applied_on"),
            _text(_("状态"), "status"),
            DateColumn(header=_("评审日期"), field="decided_on"),
            _text(_("说明"), "note"),
        ]

    def export_row(self, r):
        return {
            "person": r.person.name,
            "code": r.kindergarten.code,
            "kindergarten": r.kindergarten.name,
            "title": r.get_title_display(),
            "applied_on": r.applied_on,
            "status": r.get_status_display(),
            "decided_on": r.decided_on,
            "note": r.note,
        }


class PrincipalCreditExportView(ExportMixin, PrincipalCreditView):
    export_name, export_fallback = "园长学分", "principal-credits"

    def export_columns(self):
        return [
            _text(_("姓名"), "person"),
            _text(_("幼儿园编码"), "code"),
            _text(_("幼儿园"), "kindergarten"),
            _text(_("岗位"), "role"),
            _text(_("发展阶段"), "stage"),
            IntegerColumn(header=_("年度"), field="year"),
            DecimalColumn(header=_("已获学分"), field="credits"),
            DecimalColumn(header=_("应修学分"), field="required"),
            _text(_("达标"), "completed"),
        ]

    def export_row(self, r):
        stages = dict(CareerStage.choices)
        return {
            "person": r.person.name,
            "code": r.kindergarten.code,
            "kindergarten": r.kindergarten.name,
            "role": r.get_role_display(),
            "stage": str(stages.get(r.stage, "")),
            "year": _year(self.request, timezone.localdate()),
            "credits": r.credits,
            "required": r.required,
            "completed": _yes_no(r.completed),
        }


class EthicsExportView(ExportMixin, EthicsListView):
    """The list's columns only: the description (事实经过, personal and sensitive) is on no list,
    so in no export; the full outcome is (the page truncates it)."""

    export_name, export_fallback = "师德师风记录", "ethics-records"

    def export_columns(self):
        return [
            DateColumn(header=_("发生日期"), field="occurred_on"),
            _text(_("幼儿园编码"), "code"),
            _text(_("幼儿园"), "kindergarten"),
            _text(_("姓名"), "person"),
            _text(_("类型"), "kind"),
            _text(_("严重程度"), "severity"),
            _text(_("处理结果"), "outcome"),
            DateColumn(header=_("关联案件立案日期"), field="case_reported_on"),
        ]

    def export_row(self, r):
        return {
            "occurred_on": r.occurred_on,
            "code": r.kindergarten.code,
            "kindergarten": r.kindergarten.name,
            "person": r.person.name if r.person_id else "",
            "kind": r.get_kind_display(),
            "severity": r.get_severity_display() if r.severity else "",
            "outcome": r.outcome or _("处理中"),
            "case_reported_on": r.conduct_case.reported_on if r.conduct_case_id else None,
        }


class PayExportView(ExportMixin, PayListView):
    export_name, export_fallback = "工资待遇填报", "pay-filings"

    def export_columns(self):
        counts = (
            ("insurance_required", _("应参加社会保险人数")),
            ("insurance_covered", _("已参加社会保险人数")),
            ("housing_required", _("应缴住房公积金人数")),
            ("housing_covered", _("已缴住房公积金人数")),
            ("leave_entitled", _("应享带薪休假人数")),
            ("leave_taken", _("已轮休带薪假人数")),
        )
        return [
            _text(_("幼儿园编码"), "code"),
            _text(_("幼儿园"), "kindergarten"),
            IntegerColumn(header=_("年度"), field="year"),
            *(IntegerColumn(header=header, field=field) for field, header in counts),
            _text(_("已安排带薪休假轮休"), "rotation_arranged"),
            _text(_("低于公办园参照"), "below_benchmark"),
            _text(_("未足额参保"), "uncovered"),
            _text(_("民办园预警"), "flagged"),
            _text(_("说明"), "note"),
        ]

    def export_row(self, r):
        fields = ("year", "insurance_required", "insurance_covered", "housing_required", "housing_covered")
        return {
            **{name: getattr(r, name) for name in (*fields, "leave_entitled", "leave_taken", "note")},
            "code": r.kindergarten.code,
            "kindergarten": r.kindergarten.name,
            "rotation_arranged": _yes_no(r.rotation_arranged),
            "below_benchmark": _yes_no(r.below_benchmark),
            "uncovered": _yes_no(r.uncovered),
            "flagged": _yes_no(r.flagged),
        }


class ResearchExportView(ExportMixin, ResearchListView):
    export_name, export_fallback = "教研片区", "research-clusters"

    def export_columns(self):
        return [
            _text(_("片区名称"), "name"),
            _text(_("牵头园"), "lead"),
            IntegerColumn(header=_("成员园数"), field="member_count"),
            _text(_("成员园"), "members"),
            IntegerColumn(header=_("教研组数"), field="team_count"),
            _text(_("教研组"), "teams"),
        ]

    def export_queryset(self, rows):
        # One query for all members and one for all teams, per chunk of clusters (not per cluster).
        return rows.prefetch_related(
            Prefetch("members", queryset=Kindergarten.objects.order_by("code").only("pk", "name", "code")),
            Prefetch("teams", queryset=ResearchTeam.objects.order_by("name").only("pk", "name", "cluster_id")),
        )

    def export_row(self, r):
        return {
            "name": r.name,
            "lead": r.lead.name,
            "member_count": r.member_count,
            "members": "、".join(k.name for k in r.members.all()),
            "team_count": r.team_count,
            "teams": "、".join(t.name for t in r.teams.all()),
        }


class PairingExportView(ExportMixin, PairingListView):
    export_name, export_fallback = "结对帮扶", "pairings"

    def export_columns(self):
        return [
            _text(_("帮扶园编码"), "strong_code"),
            _text(_("帮扶园"), "strong"),
            _text(_("受援园编码"), "weak_code"),
            _text(_("受援园"), "weak"),
            DateColumn(header=_("结对日期"), field="started_on"),
            DateColumn(header=_("结束日期"), field="ended_on"),
            _text(_("帮扶目标"), "goals"),
            IntegerColumn(header=_("年度评议次数"), field="review_count"),
        ]

    def export_row(self, r):
        return {
            "strong_code": r.strong.code,
            "strong": r.strong.name,
            "weak_code": r.weak.code,
            "weak": r.weak.name,
            "started_on": r.started_on,
            "ended_on": r.ended_on,
            "goals": r.goals,
            "review_count": r.review_count,
        }
