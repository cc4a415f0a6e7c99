"""Safety check pages: the checklist templates (everyone reads what is published, the bureau edits
drafts and publishes them), the check list (one FilterSet with the API), starting a check, filling
it in item by item on a phone, its page with the hazards it opened, and its photos."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.mixins import BureauRequiredMixin, ScopedQuerysetMixin
from accounts.permissions import Act, may
from common.files import file_response

from ..choices import CheckKind, ChecklistStatus, CheckOutcome
from ..filtersets import SafetyCheckFilterSet
from ..forms import CheckFillForm, ChecklistItemForm, ChecklistTemplateForm, CheckStartForm
from ..models import ChecklistItem, ChecklistTemplate, ChecklistVersion, CheckPhoto, CheckResult, SafetyCheck
from ..models.checks import group_by_category
from ..services import (
    check_kind_for,
    check_save,
    check_start,
    check_submit,
    checklist_item_delete,
    checklist_item_save,
    checklist_template_create,
    checklist_template_update,
    checklist_version_copy,
    checklist_version_delete,
    checklist_version_publish,
    first_unanswered,
    may_run_check,
)
from ..tables import SafetyCheckTable


def _report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _add_errors(form, error: ValidationError) -> None:
    """Field errors on the form's fields where it has them, otherwise above the form."""
    if hasattr(error, "error_dict") and set(error.error_dict) <= set(form.fields):
        form.add_error(None, error)
    else:
        form.add_error(None, error.messages)


# --- checklist templates ------------------------------------------------------------------------------


class ChecklistListView(LoginRequiredMixin, ListView):
    template_name = "safety/checklist_list.html"
    context_object_name = "templates"

    def get_queryset(self):
        versions = ChecklistVersion.objects.visible_to(self.request.user).order_by("-number")
        return ChecklistTemplate.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("versions", queryset=versions, to_attr="visible_versions")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        in_force = set(ChecklistVersion.objects.in_force().values_list("pk", flat=True))
        counts = dict(
            ChecklistItem.objects.filter(version__in=in_force)
            .values("version")
            .annotate(n=Count("pk"))
            .values_list("version", "n")
            .order_by()
        )
        for template in context["templates"]:
            template.current = next((v for v in template.visible_versions if v.pk in in_force), None)
            template.current_items = counts.get(getattr(template.current, "pk", None), 0)
            template.draft = next((v for v in template.visible_versions if v.is_draft), None)
        context["can_manage"] = may(self.request.user, Act.MANAGE)
        return context


class ChecklistCreateView(BureauRequiredMixin, FormView):
    form_class = ChecklistTemplateForm
    template_name = "safety/checklist_form.html"

    def form_valid(self, form):
        try:
            _template, draft = checklist_template_create(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已新建检查表，请添加检查项目后发布。"))
        return redirect(draft)


class ChecklistEditView(BureauRequiredMixin, FormView):
    form_class = ChecklistTemplateForm
    template_name = "safety/checklist_form.html"

    @cached_property
    def template(self) -> ChecklistTemplate:
        return get_object_or_404(ChecklistTemplate.objects.restrict(self.request.user, "change"), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.template}

    def get_context_data(self, **kwargs):
        return super().get_context_data(template=self.template, **kwargs)

    def form_valid(self, form):
        try:
            checklist_template_update(template=self.template, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(self.template)


class ChecklistDetailView(LoginRequiredMixin, View):
    """A template's page is its version in force (or, for the bureau, its only draft)."""

    def get(self, request, pk: int) -> HttpResponse:
        template = get_object_or_404(ChecklistTemplate.objects.visible_to(request.user), pk=pk)
        versions = ChecklistVersion.objects.visible_to(request.user).filter(template=template)
        shown = versions.in_force().first() or versions.order_by("-number").first()
        return redirect(shown)


class ChecklistVersionView(ScopedQuerysetMixin, DetailView):
    queryset = ChecklistVersion.objects.select_related("template", "published_by", "based_on")
    template_name = "safety/checklist_version.html"
    context_object_name = "version"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.object
        manages = may(self.request.user, Act.MANAGE)
        context.update(
            groups=version.groups(),
            versions=ChecklistVersion.objects.visible_to(self.request.user).filter(template=version.template),
            in_force=version.is_in_force(),
            can_edit=manages and version.is_draft,
            can_copy=manages and version.is_published,
            can_manage=manages,
            item_form=ChecklistItemForm() if manages and version.is_draft else None,
        )
        return context


VERSION_STEPS = {
    "publish": (checklist_version_publish, _("已发布，此版本现行有效。")),
    "copy": (checklist_version_copy, _("已复制为新草稿。")),
    "delete": (checklist_version_delete, _("已删除草稿。")),
}


class ChecklistVersionStepView(LoginRequiredMixin, View):
    """Publish a draft, copy a published version into a draft, or discard a draft (POST, the bureau)."""

    def post(self, request, pk: int, step: str) -> HttpResponse:
        version = get_object_or_404(ChecklistVersion.objects.restrict(request.user, "change"), pk=pk)
        if step not in VERSION_STEPS:
            return redirect(version)
        service, done = VERSION_STEPS[step]
        try:
            result = service(version=version, user=request.user)
        except ValidationError as error:
            _report(request, error)
            return redirect(version)
        messages.success(request, done)
        return redirect(result or reverse("safety:checklist_list"))


class ChecklistItemFormView(LoginRequiredMixin, FormView):
    """Adds an item to a draft (`version_pk`) or changes one (`pk`); published versions answer 404."""

    form_class = ChecklistItemForm
    template_name = "safety/checklist_item_form.html"

    @cached_property
    def item(self) -> ChecklistItem | None:
        if "pk" not in self.kwargs:
            return None
        items = ChecklistItem.objects.restrict(self.request.user, "change").filter(
            version__status=ChecklistStatus.DRAFT
        )
        return get_object_or_404(items, pk=self.kwargs["pk"])

    @cached_property
    def version(self) -> ChecklistVersion:
        if self.item is not None:
            return self.item.version
        drafts = ChecklistVersion.objects.restrict(self.request.user, "change").filter(status=ChecklistStatus.DRAFT)
        return get_object_or_404(drafts, pk=self.kwargs["version_pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.item}

    def get_context_data(self, **kwargs):
        return super().get_context_data(version=self.version, item=self.item, **kwargs)

    def form_valid(self, form):
        try:
            checklist_item_save(version=self.version, user=self.request.user, item=self.item, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存检查项目。"))
        return redirect(self.version)


class ChecklistItemDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk: int) -> HttpResponse:
        items = ChecklistItem.objects.restrict(request.user, "change").filter(version__status=ChecklistStatus.DRAFT)
        item = get_object_or_404(items.select_related("version"), pk=pk)
        checklist_item_delete(item=item, user=request.user)
        messages.success(request, _("已删除检查项目。"))
        return redirect(item.version)


# --- checks -------------------------------------------------------------------------------------------------


class SafetyCheckListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = (
        SafetyCheck.objects.select_related("kindergarten__subdistrict", "version__template")
        .with_counts()
        .order_by("-checked_on", "-pk")
    )
    filterset_class = SafetyCheckFilterSet
    table_class = SafetyCheckTable
    template_name = "safety/check_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        return super().get_context_data(check_kind=check_kind_for(self.request.user), **kwargs)


class SafetyCheckCreateView(LoginRequiredMixin, UserPassesTestMixin, FormView):
    """The heading of a new check; the kind follows the user (a director self-checks, others spot-check)."""

    form_class = CheckStartForm
    template_name = "safety/check_start.html"

    def test_func(self) -> bool:
        return check_kind_for(self.request.user) is not None

    @cached_property
    def kind(self) -> str:
        return check_kind_for(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "kind": self.kind}

    def get_initial(self):
        initial = {"checked_on": timezone.localdate(), "team": self.request.user.get_full_name()}
        if self.request.GET.get("kindergarten", "").isdigit():
            initial["kindergarten"] = int(self.request.GET["kindergarten"])
        elif self.request.user.kindergarten_id:
            initial["kindergarten"] = self.request.user.kindergarten_id
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind_label=CheckKind(self.kind).label, **kwargs)

    def form_valid(self, form):
        try:
            safety_check = check_start(user=self.request.user, kind=self.kind, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        return redirect("safety:check_fill", pk=safety_check.pk)


class SafetyCheckFillView(LoginRequiredMixin, FormView):
    """The items of a draft check, to answer one by one; "save" keeps the draft, "submit" locks it."""

    accepts_uploads = True  # the upload body limit (common.limits)

    form_class = CheckFillForm
    template_name = "safety/check_fill.html"

    @cached_property
    def safety_check(self) -> SafetyCheck:
        visible = SafetyCheck.objects.visible_to(self.request.user).select_related(
            "kindergarten__subdistrict", "version__template"
        )
        return get_object_or_404(visible, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not self.safety_check.is_draft:
                return redirect(self.safety_check)
            if not may_run_check(request.user, self.safety_check.kindergarten, self.safety_check.kind):
                raise PermissionDenied(_("您不能填写这次检查。"))
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def results(self) -> list[CheckResult]:
        rows = list(self.safety_check.results.select_related("item").prefetch_related("photos"))
        self.groups = group_by_category(rows, key=lambda r: r.item)
        return [row for _label, members in self.groups for row in members]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "results": self.results}

    def get_initial(self):
        c = self.safety_check
        return {"checked_on": c.checked_on, "team": c.team, "findings": c.findings}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        rows = {row[0].pk: row for row in form.rows()}
        context.update(
            safety_check=self.safety_check,
            groups=[(label, [rows[r.pk] for r in members]) for label, members in self.groups],
            answered=sum(1 for _r, outcome, _n, _p in form.rows() if outcome.value()),
            total=len(self.results),
            outcomes=CheckOutcome,
        )
        return context

    def form_valid(self, form):
        user, submit = self.request.user, "submit" in self.request.POST
        try:
            safety_check = check_save(
                safety_check=self.safety_check,
                user=user,
                answers=form.answers(),
                item_photos=form.item_photos(),
                photos=form.cleaned_data["photos"],
                checked_on=form.cleaned_data["checked_on"],
                team=form.cleaned_data["team"],
                findings=form.cleaned_data["findings"],
            )
            if submit:
                check_submit(safety_check=safety_check, user=user)
        except ValidationError as error:
            # A refused submission keeps the saved answers: the page shows them with the reason.
            _add_errors(form, error)
            return self.form_invalid(form)
        if submit:
            opened = safety_check.results.filter(hazard__isnull=False).count()
            messages.success(self.request, _("检查已提交。登记隐患 %(n)s 条。") % {"n": opened})
            return redirect(safety_check)
        messages.success(self.request, _("已保存草稿。"))
        next_item = first_unanswered(safety_check)
        anchor = f"#item-{next_item.item_id}" if next_item else "#finish"
        return redirect(reverse("safety:check_fill", args=[safety_check.pk]) + anchor)


class SafetyCheckDetailView(ScopedQuerysetMixin, DetailView):
    queryset = SafetyCheck.objects.select_related(
        "kindergarten__subdistrict", "version__template", "created_by", "submitted_by"
    )
    template_name = "safety/check_detail.html"
    context_object_name = "safety_check"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        safety_check = self.object
        results = list(safety_check.results.select_related("item", "hazard").prefetch_related("photos"))
        context.update(
            groups=group_by_category(results, key=lambda r: r.item),
            counts={o: sum(1 for r in results if r.outcome == o) for o in CheckOutcome.values},
            hazards=[r for r in results if r.hazard_id],
            photos=[p for p in safety_check.photos.all() if p.result_id is None],
            can_fill=safety_check.is_draft
            and may_run_check(self.request.user, safety_check.kindergarten, safety_check.kind),
        )
        return context


class CheckPhotoView(LoginRequiredMixin, View):
    """A check's photo, to those who may see the check; to anyone else it does not exist."""

    def get(self, request, pk: int) -> HttpResponse:
        photo = get_object_or_404(CheckPhoto.objects.visible_to(request.user), pk=pk)
        return file_response(photo.file, filename=photo.original_name, content_type=photo.content_type)
