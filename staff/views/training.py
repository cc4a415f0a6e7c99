"""Teachers' training and titles: records with hours per level and mode, entering one, importing
a course's attendance list, and professional-title applications with the bureau's decision."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.mixins import BureauRequiredMixin, ScopedQuerysetMixin
from accounts.permissions import Act, may
from common.spreadsheets import ImportRejected, Sheet, SpreadsheetError, SpreadsheetUploadForm, xlsx_response

from ..filtersets import TitleApplicationFilterSet, TrainingRecordFilterSet
from ..forms import TitleApplicationForm, TitleDecisionForm, TrainingRecordForm
from ..models import Course, TitleApplication, TrainingRecord
from ..services import (
    attendance_columns,
    attendance_import,
    title_application_add,
    title_application_decide,
    training_record_add,
)
from ..tables import TitleApplicationTable, TrainingRecordTable


def may_keep_any(user) -> bool:
    return may(user, Act.FILL) or may(user, Act.MANAGE)


class TrainingListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = TrainingRecord.objects.select_related("person", "kindergarten")
    filterset_class = TrainingRecordFilterSet
    table_class = TrainingRecordTable
    template_name = "staff/training_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["by_level_mode"] = (
            self.object_list.order_by()
            .values("level", "mode")
            .annotate(hours=Sum("hours"), people=Count("person", distinct=True), records=Count("pk"))
            .order_by("level", "mode")
        )
        context["can_keep"] = may_keep_any(self.request.user)
        return context


class TrainingRecordCreateView(LoginRequiredMixin, UserPassesTestMixin, FormView):
    form_class = TrainingRecordForm
    template_name = "staff/training_form.html"

    def test_func(self) -> bool:
        return may_keep_any(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"attended_on": timezone.localdate()}

    def form_valid(self, form):
        try:
            training_record_add(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记培训记录。"))
        return redirect(reverse("staff:training_list"))


class AttendanceImportView(BureauRequiredMixin, FormView):
    """A course's attendance list from xlsx: all rows or none, every error by row and column."""

    accepts_uploads = True  # the upload body limit (common.limits)

    form_class = SpreadsheetUploadForm
    template_name = "staff/training_import.html"

    def dispatch(self, request, *args, **kwargs):
        self.course = get_object_or_404(Course.objects.all(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        columns = attendance_columns()
        return super().get_context_data(
            course=self.course,
            columns=[(c, c.describe()) for c in columns],
            max_upload=filesizeformat(settings.MAX_UPLOAD_BYTES),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            count = attendance_import(course=self.course, file=form.cleaned_data["file"], user=self.request.user)
        except SpreadsheetError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        except ImportRejected as rejected:
            return self.render_to_response(self.get_context_data(form=form, import_errors=rejected.errors))
        messages.success(self.request, _("导入完成：新增培训记录 %(n)d 条。") % {"n": count})
        return redirect(f"{reverse('staff:training_list')}?course={self.course.pk}")


class AttendanceTemplateView(BureauRequiredMixin, View):
    def get(self, request, pk: int):
        course = get_object_or_404(Course.objects.all(), pk=pk)
        return xlsx_response(
            f"{course.title}-培训名单.xlsx",
            [Sheet(title="培训名单", columns=attendance_columns())],
            fallback="attendance.xlsx",
        )


class TitleApplicationListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = TitleApplication.objects.select_related("person", "kindergarten")
    filterset_class = TitleApplicationFilterSet
    table_class = TitleApplicationTable
    template_name = "staff/training_titles.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(can_keep=may_keep_any(self.request.user), decision_form=TitleDecisionForm())
        return context


class TitleApplicationCreateView(TrainingRecordCreateView):
    form_class = TitleApplicationForm
    template_name = "staff/training_title_form.html"

    def get_initial(self):
        return {"applied_on": timezone.localdate()}

    def form_valid(self, form):
        try:
            title_application_add(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记职称申报。"))
        return redirect(reverse("staff:title_application_list"))


class TitleDecisionView(BureauRequiredMixin, View):
    def post(self, request, pk: int):
        application = get_object_or_404(TitleApplication.objects.all(), pk=pk)
        form = TitleDecisionForm(request.POST)
        if not form.is_valid():
            raise PermissionDenied
        try:
            title_application_decide(application=application, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已保存评审结果。"))
        return redirect(reverse("staff:title_application_list"))
