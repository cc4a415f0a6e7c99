"""Registry pages: thin generic views that declare queryset, filterset, table and form."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.history import history_entries
from accounts.mixins import BureauRequiredMixin, ScopedChangeMixin, ScopedQuerysetMixin
from common.spreadsheets import ImportRejected, SpreadsheetError, SpreadsheetUploadForm, xlsx_response

from .choices import LicenceStatus, NamingRuleCategory
from .filtersets import KindergartenFilterSet
from .forms import KindergartenForm
from .models import Kindergarten, Subdistrict
from .naming import violations_of
from .services import import_kindergartens
from .spreadsheets import (
    TEMPLATE_FALLBACK,
    TEMPLATE_FILENAME,
    export_filename,
    export_sheets,
    kindergarten_columns,
    template_sheets,
)
from .tables import KindergartenTable


class KindergartenListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = Kindergarten.objects.select_related("subdistrict")
    filterset_class = KindergartenFilterSet
    table_class = KindergartenTable
    template_name = "kindergartens/kindergarten_list.html"
    paginate_by = 25


class KindergartenDetailView(ScopedQuerysetMixin, DetailView):
    queryset = Kindergarten.objects.select_related("subdistrict", "branch_of")
    template_name = "kindergartens/kindergarten_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kindergarten = self.object
        context["violations"] = violations_of(kindergarten)
        # branch_of too: the reverse manager reads it on every row to attach the parent (N+1 if deferred).
        context["branches"] = kindergarten.branches.visible_to(self.request.user).only(
            "id", "name", "code", "branch_of"
        )
        context["history"] = history_entries(kindergarten)
        context["can_edit"] = (
            Kindergarten.objects.restrict(self.request.user, "change").filter(pk=kindergarten.pk).exists()
        )
        return context


class KindergartenFormMixin:
    model = Kindergarten
    form_class = KindergartenForm
    template_name = "kindergartens/kindergarten_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("已保存“%(name)s”。") % {"name": self.object.name})
        return response


class KindergartenCreateView(BureauRequiredMixin, KindergartenFormMixin, CreateView):
    pass


class KindergartenUpdateView(ScopedChangeMixin, KindergartenFormMixin, UpdateView):
    queryset = Kindergarten.objects.select_related("subdistrict")


class SubdistrictListView(ScopedQuerysetMixin, ListView):
    model = Subdistrict
    template_name = "kindergartens/subdistrict_list.html"

    def get_queryset(self):
        operating = Q(kindergartens__licence_status__in=[LicenceStatus.LICENSED, LicenceStatus.COMMUNITY_POINT])
        return (
            super()
            .get_queryset()
            .annotate(
                kindergarten_count=Count("kindergartens", filter=operating),
                unlicensed_count=Count(
                    "kindergartens", filter=Q(kindergartens__licence_status=LicenceStatus.UNLICENSED)
                ),
                noncompliant_count=Count("kindergartens", filter=Q(kindergartens__name_compliant=False)),
            )
        )


class SubdistrictDetailView(ScopedQuerysetMixin, SingleTableMixin, DetailView):
    model = Subdistrict
    template_name = "kindergartens/subdistrict_detail.html"
    table_class = KindergartenTable
    table_pagination = {"per_page": 25}

    def get_table_kwargs(self) -> dict:
        return {"exclude": ("subdistrict",)}  # every row is in this sub-district

    def get_table_data(self):
        return (
            Kindergarten.objects.visible_to(self.request.user)
            .filter(subdistrict=self.object)
            .select_related("subdistrict")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = history_entries(self.object)
        return context


class NameComplianceReportView(ScopedQuerysetMixin, ListView):
    """District-wide (or, for a sub-district official, area-wide) name-compliance report."""

    model = Kindergarten
    template_name = "kindergartens/name_compliance_report.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .name_noncompliant()
            .select_related("subdistrict")
            .order_by("subdistrict__code", "code")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = Kindergarten.objects.visible_to(self.request.user)
        context["by_subdistrict"] = (
            visible.values("subdistrict__id", "subdistrict__name")
            .annotate(total=Count("id"), noncompliant=Count("id", filter=Q(name_compliant=False)))
            .filter(noncompliant__gt=0)
            .order_by("-noncompliant", "subdistrict__name")
        )
        by_category: dict[str, int] = {}
        rows = []
        for kindergarten in context["object_list"]:
            violations = violations_of(kindergarten)
            for violation in {v.category for v in violations}:
                by_category[violation] = by_category.get(violation, 0) + 1
            rows.append((kindergarten, violations))
        context["rows"] = rows
        context["by_category"] = [(NamingRuleCategory(c).label, n) for c, n in sorted(by_category.items())]
        context["total"] = visible.count()
        return context


class KindergartenImportView(BureauRequiredMixin, FormView):
    """Upload of the registry workbook: all rows or none, with every error listed by row and column."""

    accepts_uploads = True  # the upload body limit (common.limits)

    form_class = SpreadsheetUploadForm
    template_name = "kindergartens/kindergarten_import.html"
    success_url = reverse_lazy("kindergartens:kindergarten_list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        columns = [c for c in kindergarten_columns() if not c.read_only]
        context["columns"] = [(c, c.describe(), c.allowed_values()) for c in columns]
        context["max_upload"] = filesizeformat(settings.MAX_UPLOAD_BYTES)
        return context

    def form_valid(self, form):
        try:
            result = import_kindergartens(file=form.cleaned_data["file"], user=self.request.user)
        except SpreadsheetError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        except ImportRejected as rejected:
            return self.render_to_response(self.get_context_data(form=form, import_errors=rejected.errors))
        messages.success(
            self.request,
            _("导入完成：新增 %(created)d 所，更新 %(updated)d 所，未变化 %(unchanged)d 所。")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
        return super().form_valid(form)


class KindergartenTemplateView(BureauRequiredMixin, View):
    """The empty import template, with a 说明 sheet listing every column's allowed values."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return xlsx_response(TEMPLATE_FILENAME, template_sheets(), fallback=TEMPLATE_FALLBACK)


class KindergartenExportView(LoginRequiredMixin, View):
    """The list page's filtered rows as a workbook, limited to what the user may see."""

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = Kindergarten.objects.visible_to(request.user).select_related("subdistrict", "branch_of")
        filterset = KindergartenFilterSet(request.GET or None, queryset=queryset, request=request)
        # As FilterView does: an invalid filter yields nothing rather than everything.
        rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else queryset.none()
        filename, fallback = export_filename()
        return xlsx_response(filename, export_sheets(rows.order_by("code")), fallback=fallback)
