"""Pages of the handbook: versions (list, detail, copy, edit, publish, delete) and their points."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from accounts.history import history_entries
from accounts.mixins import ScopedQuerysetMixin
from accounts.permissions import Act, may
from common.spreadsheets import ImportRejected, SpreadsheetError, xlsx_response

from .. import services
from ..forms import AssessmentPointForm, FrameworkCopyForm, FrameworkVersionForm, PointsImportForm
from ..forms.common import add_service_errors
from ..models import AssessmentPoint, FrameworkVersion, Locked
from ..spreadsheets import points_sheets
from .common import BureauObjectMixin, error_messages

# --- the handbook ------------------------------------------------------------------------------


class FrameworkVersionListView(ScopedQuerysetMixin, ListView):
    model = FrameworkVersion
    template_name = "inspections/framework_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("based_on", "published_by", "rating_scale")
            .annotate(
                point_count=Count("areas__indicators__points", distinct=True),
                cycle_count=Count("cycles", distinct=True),
            )
        )


class FrameworkVersionDetailView(ScopedQuerysetMixin, DetailView):
    model = FrameworkVersion
    template_name = "inspections/framework_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.object
        structure = version.structure()
        can_manage = may(self.request.user, Act.MANAGE)
        context.update(
            structure=structure,
            point_count=sum(len(i.point_list) for a in structure for i in a.indicator_list),
            empty_indicators=[i for a in structure for i in a.indicator_list if not i.point_list],
            can_edit=can_manage and version.is_draft,
            can_copy=can_manage and version.is_published,
            copy_form=FrameworkCopyForm(),
            cycles=version.cycles.all(),
            history=history_entries(version),
        )
        return context


class FrameworkVersionCopyView(BureauObjectMixin, View):
    model = FrameworkVersion

    def post(self, request, pk: int) -> HttpResponse:
        form = FrameworkCopyForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写新版本名称。"))
            return redirect(self.object)
        try:
            draft = services.framework_version_copy(
                source=self.object, user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            messages.error(request, "；".join(error_messages(error)))
            return redirect(self.object)
        messages.success(
            request, _("已复制为草稿第 %(version)s 版，可以修改考查要点后发布。") % {"version": draft.version}
        )
        return redirect(draft)


class DraftRequiredMixin:
    """Handbook editing pages: a published version is never edited, only copied."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and may(request.user, Act.MANAGE) and not self.version.is_draft:
            messages.error(request, _("已发布的评估手册版本不能修改，请复制为新草稿后修改。"))
            return redirect(self.version)
        return super().dispatch(request, *args, **kwargs)


class FrameworkVersionUpdateView(BureauObjectMixin, DraftRequiredMixin, FormView):
    model = FrameworkVersion
    form_class = FrameworkVersionForm
    template_name = "inspections/framework_form.html"

    @property
    def version(self) -> FrameworkVersion:
        return self.object

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def form_valid(self, form):
        try:
            services.framework_version_update(
                version=self.object,
                user=self.request.user,
                name=form.cleaned_data["name"],
                source=form.cleaned_data["source"],
                description=form.cleaned_data["description"],
                rating_scale=form.cleaned_data["rating_scale"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)


class FrameworkVersionPublishView(BureauObjectMixin, View):
    model = FrameworkVersion

    def post(self, request, pk: int) -> HttpResponse:
        try:
            version = services.framework_version_publish(version=self.object, user=request.user)
        except (ValidationError, Locked) as error:
            messages.error(
                request, "；".join(error_messages(error)) if isinstance(error, ValidationError) else str(error)
            )
            return redirect(self.object)
        messages.success(request, _("已发布第 %(version)s 版，此后不能再修改。") % {"version": version.version})
        return redirect(version)


class FrameworkVersionDeleteView(BureauObjectMixin, View):
    model = FrameworkVersion

    def post(self, request, pk: int) -> HttpResponse:
        try:
            services.framework_version_delete(version=self.object, user=request.user)
        except Locked as error:
            messages.error(request, str(error))
            return redirect(self.object)
        messages.success(request, _("已删除草稿。"))
        return redirect("inspections:framework_list")


class PointFormMixin(DraftRequiredMixin):
    form_class = AssessmentPointForm
    template_name = "inspections/point_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "version": self.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(version=self.version, **kwargs)

    def point_values(self, form) -> dict:
        data = form.cleaned_data
        return {
            "key_indicator": data["key_indicator"],
            "text": data["text"],
            "guidance": data["guidance"],
            "evidence_expected": data["evidence_expected"],
            "origin": data["origin"],
            "source": data["source"],
            "rating_scale": data["rating_scale"],
        }

    def saved(self, point: AssessmentPoint) -> HttpResponse:
        messages.success(self.request, _("已保存考查要点。"))
        return HttpResponseRedirect(f"{self.version.get_absolute_url()}#indicator-{point.key_indicator_id}")


class PointCreateView(BureauObjectMixin, PointFormMixin, FormView):
    model = FrameworkVersion

    @property
    def version(self) -> FrameworkVersion:
        return self.object

    def get_initial(self):
        indicator = self.request.GET.get("indicator")
        return {"key_indicator": indicator} if indicator and indicator.isdigit() else {}

    def form_valid(self, form):
        try:
            point = services.assessment_point_create(user=self.request.user, **self.point_values(form))
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return self.saved(point)


class PointUpdateView(BureauObjectMixin, PointFormMixin, FormView):
    model = AssessmentPoint

    @property
    def version(self) -> FrameworkVersion:
        return self.object.key_indicator.area.framework_version

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def form_valid(self, form):
        try:
            point = services.assessment_point_update(
                point=self.object, user=self.request.user, **self.point_values(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return self.saved(point)

    def get_context_data(self, **kwargs):
        return super().get_context_data(point=self.object, **kwargs)


class PointDeleteView(BureauObjectMixin, View):
    model = AssessmentPoint

    def post(self, request, pk: int) -> HttpResponse:
        version = self.object.key_indicator.area.framework_version
        try:
            services.assessment_point_delete(point=self.object, user=request.user)
        except Locked as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已删除考查要点。"))
        return HttpResponseRedirect(f"{version.get_absolute_url()}#indicator-{self.object.key_indicator_id}")


class PointMoveView(BureauObjectMixin, View):
    model = AssessmentPoint

    def post(self, request, pk: int) -> HttpResponse:
        version = self.object.key_indicator.area.framework_version
        offset = -1 if request.POST.get("direction") == "up" else 1
        try:
            services.assessment_point_move(point=self.object, user=request.user, offset=offset)
        except Locked as error:
            messages.error(request, str(error))
        return HttpResponseRedirect(f"{version.get_absolute_url()}#point-{self.object.pk}")


class PointsImportView(BureauObjectMixin, DraftRequiredMixin, FormView):
    accepts_uploads = True  # the upload body limit (common.limits)
    model = FrameworkVersion
    form_class = PointsImportForm
    template_name = "inspections/points_import.html"

    @property
    def version(self) -> FrameworkVersion:
        return self.object

    def form_valid(self, form):
        try:
            result = services.import_assessment_points(
                version=self.object,
                file=form.cleaned_data["file"],
                user=self.request.user,
                replace=form.cleaned_data["replace"],
            )
        except SpreadsheetError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        except ImportRejected as rejected:
            return self.render_to_response(self.get_context_data(form=form, rejected=rejected))
        messages.success(
            self.request,
            _("已导入 %(created)d 个考查要点（删除原有 %(deleted)d 个）。")
            % {"created": result.created, "deleted": result.deleted},
        )
        return redirect(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(version=self.object, **kwargs)


class PointsExportView(ScopedQuerysetMixin, DetailView):
    """The version's points as an xlsx (or, with ?template=1, the empty import template)."""

    model = FrameworkVersion

    def render_to_response(self, context, **response_kwargs) -> HttpResponse:
        version = self.object
        if self.request.GET.get("template"):
            return xlsx_response(
                _("评估手册考查要点导入模板.xlsx"),
                points_sheets(version, with_rows=False),
                fallback="handbook-points-template.xlsx",
            )
        return xlsx_response(
            _("%(name)s（第%(version)s版）考查要点.xlsx") % {"name": version.name, "version": version.version},
            points_sheets(version),
            fallback=f"handbook-v{version.version}-points.xlsx",
        )
