"""Workbooks in and out: the bureau's profile import (and its template), the profile and hazard
exports — limited to what the user may see, through the same FilterSets as the list pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from accounts.mixins import BureauRequiredMixin
from common.spreadsheets import ImportRejected, SpreadsheetError, SpreadsheetUploadForm, xlsx_response
from kindergartens.models import Kindergarten

from ..filtersets import HazardFilterSet, SafetyProfileFilterSet
from ..models import Hazard, SafetyProfile
from ..services import import_safety_profiles
from ..spreadsheets import (
    TEMPLATE_FALLBACK,
    TEMPLATE_FILENAME,
    export_filename,
    hazard_export_sheets,
    profile_columns,
    profile_export_sheets,
    template_sheets,
)


def _filtered(filterset):
    # As FilterView does: an invalid filter yields nothing rather than everything.
    return filterset.qs if not filterset.is_bound or filterset.is_valid() else filterset.queryset.none()


class SafetyProfileImportView(BureauRequiredMixin, FormView):
    """Upload of the profiles workbook: all rows or none, with every error listed by row and column."""

    accepts_uploads = True  # the upload body limit (common.limits)

    form_class = SpreadsheetUploadForm
    template_name = "safety/import.html"
    success_url = reverse_lazy("safety:index")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = [(c, c.describe(), c.allowed_values()) for c in profile_columns()]
        context["max_upload"] = filesizeformat(settings.MAX_UPLOAD_BYTES)
        return context

    def form_valid(self, form):
        try:
            result = import_safety_profiles(file=form.cleaned_data["file"], user=self.request.user)
        except SpreadsheetError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        except ImportRejected as rejected:
            return self.render_to_response(self.get_context_data(form=form, import_errors=rejected.errors))
        messages.success(
            self.request,
            _("导入完成：新建 %(created)d 份档案，更新 %(updated)d 份，未变化 %(unchanged)d 份。")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
        return super().form_valid(form)


class SafetyProfileTemplateView(BureauRequiredMixin, View):
    """The empty import workbook, with a 说明 sheet describing every column."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return xlsx_response(TEMPLATE_FILENAME, template_sheets(), fallback=TEMPLATE_FALLBACK)


class SafetyProfileExportView(LoginRequiredMixin, View):
    """The profiles of the operating kindergartens the user may see (the overview's), each rule met
    or not; the same columns as the import, so the file can be edited and imported again."""

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = (
            SafetyProfile.objects.visible_to(request.user)
            .filter(kindergarten__in=Kindergarten.objects.operating())
            .select_related("kindergarten")
            .order_by("kindergarten__code")
        )
        filterset = SafetyProfileFilterSet(request.GET or None, queryset=queryset, request=request)
        filename, fallback = export_filename("安全工作档案", "safety-profiles")
        return xlsx_response(filename, profile_export_sheets(_filtered(filterset)), fallback=fallback)


class HazardExportView(LoginRequiredMixin, View):
    """The hazard list's filtered rows (`HazardFilterSet`), limited to what the user may see."""

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = Hazard.objects.visible_to(request.user).select_related("kindergarten__subdistrict")
        filterset = HazardFilterSet(request.GET or None, queryset=queryset, request=request)
        filename, fallback = export_filename("安全隐患", "safety-hazards")
        return xlsx_response(filename, hazard_export_sheets(_filtered(filterset)), fallback=fallback)
