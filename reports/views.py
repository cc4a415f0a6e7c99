"""The officials' dashboard, its drill-downs, the warnings list, computation runs, PDF and exports.

Who sees what: bureau staff see the district and every sub-district; a sub-district official
sees their own sub-district only (another one's dashboard is a 404, the district dashboard sends
them to their own); directors and inspectors have no dashboard (403). Every query passes through
`visible_to(user)` (see `reports.dashboard`).

What a figure's drill-down lists, and the panels below the figures, are declared by the apps
(`reports.registry`): this module names no app's indicator.
"""

from __future__ import annotations

import datetime

from celery.result import EagerResult
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.mixins import BureauRequiredMixin
from accounts.models import User
from accounts.permissions import Act, may
from kindergartens.models import Subdistrict

from . import dashboard_cache, exports, registry
from .choices import RunStatus
from .dashboard import WARNING_ORDER, build_dashboard
from .dates import resolve_date, snapshot_dates
from .filtersets import EarlyWarningFilterSet
from .follow_up_services import may_follow_up, with_follow_up
from .glossary import definitions
from .indicators import Scope, drilldown_kindergartens
from .liveness import reap_dead_runs
from .models import ComputationRun, EarlyWarning
from .ranking import CHART_ALL, CHART_BEST, CHART_WORST, PAGE_SIZE, subdistrict_page
from .services import local_today


def requested_date(request: HttpRequest) -> datetime.date | None:
    """The `?date=` of the request; a malformed one is ignored (the latest snapshot is shown)."""
    raw = request.GET.get("date", "").strip()
    if not raw:
        return None
    try:
        return parse_date(raw)
    except ValueError:
        return None


class DashboardAccessMixin(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self) -> bool:
        return may(self.request.user, Act.DASHBOARD)


class ScopeMixin(DashboardAccessMixin):
    """Resolves `?subdistrict=` (or the URL's pk) to a sub-district the user may see.

    A sub-district official is always held to their own sub-district.
    """

    def get_subdistrict(self) -> Subdistrict | None:
        user = self.request.user
        raw = self.kwargs.get("pk") or self.request.GET.get("subdistrict") or None
        if raw is None and not may(user, Act.MANAGE):
            raw = user.subdistrict_id
        if raw is None:
            return None
        try:
            pk = int(raw)
        except (TypeError, ValueError) as exc:
            raise Http404 from exc
        return get_object_or_404(Subdistrict.objects.visible_to(user), pk=pk)


class DashboardView(ScopeMixin, TemplateView):
    """The district dashboard (`/dashboard/`) or a sub-district's (`/dashboard/subdistrict/<pk>/`)."""

    template_name = "reports/dashboard.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if "pk" not in kwargs and not may(request.user, Act.MANAGE):
            # District-wide rows are the bureau's; a sub-district official lands on their own area.
            return redirect("reports:subdistrict_dashboard", pk=request.user.subdistrict_id)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        subdistrict = self.get_subdistrict() if "pk" in self.kwargs else None
        wanted = requested_date(self.request)
        user = self.request.user

        def build() -> object:
            return build_dashboard(user=user, subdistrict=subdistrict, date=wanted, all_rows=False)

        # The same for every user of the scope until the next computation (reports.dashboard_cache).
        # The apps' panels are not built here: each is a placeholder that static/js/dashboard_panels.js
        # fills from DashboardPanelView once the page is shown (they count live data: 0.25–0.7 s).
        board = dashboard_cache.cached(user, subdistrict.pk if subdistrict else None, wanted, build)
        if wanted and board.date != wanted and board.dates:
            messages.info(
                self.request,
                _("%(date)s 没有指标快照，显示此前最近一次的快照。") % {"date": wanted.isoformat()}
                if board.date
                else _("%(date)s 之前没有指标快照，请选择其他日期。") % {"date": wanted.isoformat()},
            )
        # A page of the sub-district table in the order ?sort= asks (by default: furthest below a
        # target first), ranked in SQL (reports.ranking); its links are built from one reverse()
        # each, not one per row.
        sort, only_short, page = self.request.GET.get("sort", ""), self.request.GET.get("short") == "1", None
        if board.is_district and board.date:
            page, sort = subdistrict_page(
                board, user, sort=sort, page=self.request.GET.get("page"), only_short=only_short
            )
            board.rows = page.object_list
        table_query = {"date": board.date.isoformat() if board.date else "", "sort": sort}
        if only_short:
            table_query["short"] = "1"
        context.update(
            sort=sort,
            only_short=only_short,
            page_obj=page,
            paginator=page.paginator if page else None,
            is_paginated=bool(page and page.paginator.num_pages > 1),
            query=urlencode(table_query),
            page_size=PAGE_SIZE,
            chart_all=CHART_ALL,
            chart_worst=CHART_WORST,
            chart_best=CHART_BEST,
            subdistrict_url=reverse("reports:subdistrict_dashboard", args=[0])[:-2],
            subdistrict_detail_url=reverse("kindergartens:subdistrict_detail", args=[0])[:-2],
            board=board,
            chart_data=board.chart_data(),
            definitions=definitions(),
            can_run=may(user, Act.MANAGE),
            scope_query=f"subdistrict={subdistrict.pk}&" if subdistrict else "",
            panels=registry.panels(),
        )
        return context


class DashboardPanelView(ScopeMixin, TemplateView):
    """One app's dashboard panel as an HTML fragment (no layout): `/dashboard/panels/<name>/`.

    The district's, or with `?subdistrict=<pk>` a sub-district's (a sub-district official always
    gets their own, as on the dashboard). The dashboard fetches it after the page is shown
    (static/js/dashboard_panels.js) and links to it for browsers without JavaScript. The panel's
    template gets `build(user, subdistrict)` as its `name` and, as when it was included in the
    page, `board.subdistrict`.
    """

    def get_template_names(self) -> list[str]:
        return [self.panel.template]

    def get_context_data(self, **kwargs) -> dict:
        self.panel = next((p for p in registry.panels() if p.name == self.kwargs["name"]), None)
        if self.panel is None:
            raise Http404
        context = super().get_context_data(**kwargs)
        subdistrict = self.get_subdistrict()
        user = self.request.user
        pk = subdistrict.pk if subdistrict else None
        # Cached per scope and panel like the board: live data, at most DASHBOARD_CACHE_SECONDS old.
        data = dashboard_cache.cached(
            user, pk, None, lambda: self.panel.build(user, subdistrict), part=f"panel:{self.panel.name}"
        )
        context.update({self.panel.name: data, "subdistrict": subdistrict})
        return context


class DrilldownView(ScopeMixin, ListView):
    """The kindergartens behind one figure, with what each contributes to it.

    `?part=in` keeps those counted in the figure's numerator (e.g. the inclusive ones for the
    coverage), `?part=out` the others.
    """

    template_name = "reports/drilldown.html"
    paginate_by = 50

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self.definition = registry.find(kwargs["indicator"])
        self.indicator = self.definition.code if self.definition else None

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # An indicator that does not count kindergartens (cases, say) has a page of its app's own.
        if self.definition is not None and self.definition.breakdown_url is not None:
            subdistrict = request.GET.get("subdistrict", "")
            return redirect(self.definition.breakdown_url(int(subdistrict) if subdistrict.isdigit() else None))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if self.definition is None or self.definition.kindergartens is None:
            raise Http404
        self.subdistrict = self.get_subdistrict()
        user = self.request.user
        self.board = build_dashboard(user=user, subdistrict=self.subdistrict, date=requested_date(self.request))
        self.day = self.board.date or requested_date(self.request) or timezone.localdate()
        scope = Scope.district() if self.subdistrict is None else Scope.of_subdistrict(self.subdistrict)
        # The engine works on all data; the list is held to what this user may see all the same.
        kindergartens = drilldown_kindergartens(self.indicator, scope, self.day).visible_to(user)
        self.part = self.request.GET.get("part", "")
        parts = self.definition.parts
        if parts is not None and self.part in ("in", "out"):
            kindergartens = (
                kindergartens.filter(parts.counted) if self.part == "in" else kindergartens.exclude(parts.counted)
            )
        self.totals = kindergartens.aggregate(
            kindergartens=Count("pk"),
            enrolled=Sum("enrolled_children"),
            children=Sum("children_in_classes"),
            capacity=Sum("approved_capacity"),
            classes=Sum("class_count"),
            over=Sum("classes_over_limit"),
        )
        return kindergartens

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        parts = self.definition.parts
        context.update(
            indicator=self.indicator,
            indicator_label=self.definition.label,
            subdistrict=self.subdistrict,
            date=self.day,
            board=self.board,
            figure=next((f for f in [*self.board.headline, *self.board.others] if f.indicator == self.indicator), None),
            totals=self.totals,
            part=self.part,
            part_labels=(parts.counted_label, parts.other_label) if parts else None,
            unlicensed=not self.definition.lists_figures,
            query=query.urlencode(),
        )
        return context


class WarningListView(DashboardAccessMixin, ListView):
    """Every early warning the user may see, filterable by date, kind, sub-district and year."""

    template_name = "reports/warning_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = EarlyWarningFilterSet(
            self.request.GET or None,
            queryset=with_follow_up(
                EarlyWarning.objects.visible_to(self.request.user).select_related("subdistrict", "kindergarten")
            ),
            request=self.request,
        )
        # New warnings first: they are the ones nobody has looked at yet.
        return self.filterset.qs.order_by("follow_up_rank", *WARNING_ORDER)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        owners = {w.follow_up_owner for w in context["object_list"] if w.follow_up_owner}
        people = User.objects.in_bulk(owners)
        for warning in context["object_list"]:
            warning.owner_user = people.get(warning.follow_up_owner)
        context["may_follow_up"] = may_follow_up(self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


class RunListView(BureauRequiredMixin, ListView):
    """The computation runs, newest first, with their errors; `?failed=1` shows only failures."""

    template_name = "reports/run_list.html"
    paginate_by = 50

    def get_queryset(self):
        reap_dead_runs()  # a killed run reads failed as soon as its holder is gone
        runs = ComputationRun.objects.select_related("triggered_by").order_by("-started_at")
        if self.request.GET.get("failed"):
            runs = runs.filter(status=RunStatus.FAILED)
        return runs

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["failed_only"] = bool(self.request.GET.get("failed"))
        context["failed_count"] = ComputationRun.objects.filter(status=RunStatus.FAILED).count()
        status = run_status(self.request)
        context["watch"] = status["active"]
        context["pending"] = status["pending"]
        # What the page shows, for static/js/run_status.js: it reloads once the endpoint differs.
        context["fingerprint"] = ",".join(f"{run['id']}:{run['status']}" for run in status["runs"])
        context["queued"] = self.request.GET.get("queued", "") if queued_since(self.request) else ""
        return context


class ComputeNowView(BureauRequiredMixin, View):
    """Queues today's computation (the nightly job, on demand) and sends the official to the runs
    list, which shows its progress and result. POST only; the button asks first (data-confirm).

    Without a broker (the embedded default) Celery runs the task in-process, so the run has ended
    by the time the list is shown; with a worker the list polls `RunStatusView` until it ends.
    """

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        from .tasks import compute_indicators_task

        queued = timezone.now()
        try:
            result = compute_indicators_task.delay(local_today().isoformat(), request.user.pk)
        except Exception as exc:  # no broker reachable, or an eager run that raised
            messages.error(request, _("计算失败：%(error)s") % {"error": exc})
            return redirect("reports:run_list")
        # Run in-process (no broker): its outcome is known now; queued: the runs list shows it.
        outcome = result.result if isinstance(result, EagerResult) else None
        if not isinstance(outcome, dict):
            messages.info(request, _("已提交今天的指标计算，下表显示它的进度和结果。"))
        elif outcome["status"] == RunStatus.SUCCEEDED:
            run = ComputationRun.objects.get(pk=outcome["run"])
            messages.success(
                request,
                _("已完成 %(date)s 的指标计算：%(snapshots)s 条快照，%(warnings)s 条预警。")
                % {"date": run.date.isoformat(), "snapshots": run.snapshot_count, "warnings": run.warning_count},
            )
        elif outcome["status"] == RunStatus.FAILED:
            messages.error(request, _("计算失败：%(error)s") % {"error": outcome["error"]})
        else:
            messages.warning(request, _("另一次计算正在进行，本次未执行。请稍后刷新。"))
        return redirect(f"{reverse('reports:run_list')}?queued={queued.timestamp():.3f}")


def queued_since(request: HttpRequest) -> datetime.datetime | None:
    """The `?queued=` moment (a Unix timestamp) of a "compute now" request; malformed ones are ignored."""
    try:
        moment = float(request.GET.get("queued", ""))
        return datetime.datetime.fromtimestamp(moment, tz=datetime.UTC)
    except (ValueError, OverflowError, OSError):
        return None


def run_status(request: HttpRequest) -> dict:
    """The latest runs and whether the page should keep watching: one still running, or a
    queued request (`?queued=`, at most ten minutes old) that no run has picked up yet."""
    runs = list(ComputationRun.objects.order_by("-started_at")[:20])
    queued = queued_since(request)
    pending = (
        queued is not None
        and timezone.now() - queued < datetime.timedelta(minutes=10)
        and not ComputationRun.objects.filter(started_at__gte=queued - datetime.timedelta(seconds=1)).exists()
    )
    return {
        "active": pending or any(run.status == RunStatus.RUNNING for run in runs),
        "pending": pending,
        "runs": [
            {
                "id": run.pk,
                "date": run.date.isoformat(),
                "status": run.status,
                "status_display": run.get_status_display(),
                "snapshot_count": run.snapshot_count,
                "warning_count": run.warning_count,
                "error": run.error,
                "started_at": run.started_at.isoformat(),
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
            }
            for run in runs
        ],
    }


class RunStatusView(BureauRequiredMixin, View):
    """JSON for static/js/run_status.js: the latest runs' status, polled while one is under way."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        reap_dead_runs()
        return JsonResponse(run_status(request))


class ReportPdfView(ScopeMixin, View):
    """The PDF report for the district or a sub-district and a date.

    The file the nightly job kept for that date is served when there is one and it shows the date's
    current figures (`pdf.kept_report`); otherwise the report is rendered now.
    """

    def get(self, request: HttpRequest) -> HttpResponse:
        # Imported here: WeasyPrint is heavy and only this view of the app needs it.
        from . import pdf

        subdistrict = self.get_subdistrict()
        dates = snapshot_dates(request.user, subdistrict)
        day = resolve_date(dates, requested_date(request))
        if day is None:
            messages.warning(request, _("还没有可用于生成报告的指标快照。"))
            return HttpResponseRedirect(self._back(subdistrict))
        filename = pdf.report_filename(date=day, subdistrict=subdistrict)
        kept = pdf.kept_report(date=day, subdistrict=subdistrict)
        if kept is not None:
            return FileResponse(kept.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")
        response = HttpResponse(
            pdf.render_report_pdf(date=day, subdistrict=subdistrict), content_type="application/pdf"
        )
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response

    @staticmethod
    def _back(subdistrict: Subdistrict | None) -> str:
        if subdistrict is None:
            return reverse("reports:dashboard")
        return reverse("reports:subdistrict_dashboard", args=[subdistrict.pk])


class IndicatorExportView(DashboardAccessMixin, View):
    """Every snapshot the user may see for a date (the latest by default), as a workbook."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return exports.indicators_response(user=request.user, date=requested_date(request))


class WarningExportView(DashboardAccessMixin, View):
    """The warnings list, with the same filters, as a workbook."""

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = EarlyWarningFilterSet(
            request.GET or None,
            queryset=EarlyWarning.objects.visible_to(request.user).select_related("subdistrict", "kindergarten"),
            request=request,
        )
        return exports.warnings_response(filterset.qs.order_by(*WARNING_ORDER))
