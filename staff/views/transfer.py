"""The staff workbook: the bureau's import (all or nothing), the empty template, the export."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from accounts.mixins import BureauRequiredMixin
from common.spreadsheets import ImportRejected, SpreadsheetError, SpreadsheetUploadForm, xlsx_response

from ..filtersets import StaffMemberFilterSet
from ..models import StaffingStandard, StaffMember
from ..selectors import with_certificate_state
from ..services import import_staff
from ..spreadsheets import (
    TEMPLATE_FALLBACK,
    TEMPLATE_FILENAME,
    export_filename,
    export_sheets,
    staff_columns,
    template_sheets,
)


class StaffImportView(BureauRequiredMixin, FormView):
    """Upload of the district's staff workbook: all rows or none, every error by row and column."""

    accepts_uploads = True  # the upload body limit (common.limits)

    form_class = SpreadsheetUploadForm
    template_name = "staff/import.html"
    success_url = reverse_lazy("staff:index")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        columns = [c for c in staff_columns() if not c.read_only]
        context["columns"] = [(c, c.describe(), c.allowed_values()) for c in columns]
        context["max_upload"] = filesizeformat(settings.MAX_UPLOAD_BYTES)
        return context

    def form_valid(self, form):
        try:
            result = import_staff(file=form.cleaned_data["file"], user=self.request.user)
        except SpreadsheetError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        except ImportRejected as rejected:
            return self.render_to_response(self.get_context_data(form=form, import_errors=rejected.errors))
        messages.success(
            self.request,
            _(
                "导入完成：新增岗位 %(created)d 个（新建个人档案 %(people)d 份），更新 %(updated)d 个，未变化 %(unchanged)d 个。"
            )
            % {
                "created": result.created,
                "people": result.people_created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
        return super().form_valid(form)


class StaffTemplateView(BureauRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return xlsx_response(TEMPLATE_FILENAME, template_sheets(), fallback=TEMPLATE_FALLBACK)


class StaffExportView(LoginRequiredMixin, View):
    """The staff list's filtered rows as a workbook, limited to what the user may see; ID masked."""

    def get(self, request: HttpRequest) -> HttpResponse:
        day = timezone.localdate()
        posts = StaffMember.objects.visible_to(request.user).select_related("person", "kindergarten")
        posts = with_certificate_state(posts, day, StaffingStandard.objects.for_day(day))
        filterset = StaffMemberFilterSet(request.GET, queryset=posts, request=request)
        rows = filterset.qs if filterset.is_valid() else posts.none()
        rows = rows.prefetch_related("person__certificates").order_by(
            "kindergarten__code", "role", "person__name", "pk"
        )
        filename, fallback = export_filename()
        return xlsx_response(filename, export_sheets(rows), fallback=fallback)
