"""What the inspections pages share: the front door, bureau object pages, the one base of
"action" POSTs on an object, attachment downloads and the per-point rating sections of a
handbook version."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import RedirectView, TemplateView

from accounts.mixins import BureauRequiredMixin
from accounts.permissions import Act, may
from common.files import file_response

from ..forms import PointRatingsForm, files_field, level_field
from ..forms.common import add_service_errors
from ..models import AttachmentBase, EvaluationCycle, FrameworkVersion, Locked


def error_messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


class BureauObjectMixin(BureauRequiredMixin):
    """Bureau pages about one object, found in the bureau's change scope."""

    model = None

    @cached_property
    def object(self):
        return get_object_or_404(self.model.objects.restrict(self.request.user, "change"), pk=self.kwargs["pk"])


class ObjectActionView(LoginRequiredMixin, View, metaclass=ABCMeta):
    """A POST that moves one object on through a service (review, verify, follow up, close …).

    The object is looked up in the user's change scope (404 outside it). A valid form goes to
    `perform`, which returns the success message; what the form or the service refuses is shown
    on the object's detail page (`detail_view`), the form's errors in place, with status 400.
    """

    accepts_uploads = True  # the upload body limit (common.limits)

    model: type[models.Model]
    form_class: type[forms.Form]
    form_name: str  # the detail page's context name for the form
    detail_view: type[View]
    refused_message: str | None = None  # flashed when the action is refused, if set

    @cached_property
    def object(self) -> models.Model:
        return get_object_or_404(self.model.objects.restrict(self.request.user, "change"), pk=self.kwargs["pk"])

    def get_form(self) -> forms.Form:
        return self.form_class(self.request.POST, self.request.FILES)

    @abstractmethod
    def perform(self, data: dict) -> str:
        """Hands the cleaned data to the service; returns the success message."""

    def refusal_response(self, error: ValidationError) -> HttpResponse | None:
        """A response of its own for some refusals (none by default: errors go on the form)."""
        return None

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = self.get_form()
        if form.is_valid():
            try:
                message = self.perform(form.cleaned_data)
            except ValidationError as error:
                response = self.refusal_response(error)
                if response is not None:
                    return response
                add_service_errors(form, error)
            else:
                messages.success(request, message)
                return redirect(self.object)
        if self.refused_message:
            messages.error(request, str(self.refused_message))
        view = self.detail_view()
        view.setup(request, pk=pk)
        view.object = view.get_object()
        return view.render_to_response(view.get_context_data(**{self.form_name: form}), status=400)


class InspectionsIndexView(LoginRequiredMixin, RedirectView):
    """Directors start at their own self-assessment, evaluators at their evaluations; everybody
    else at the cycle plan."""

    def get_redirect_url(self, *args, **kwargs) -> str:
        if may(self.request.user, Act.FILL):
            return reverse("inspections:self_assessment_mine")
        if may(self.request.user, Act.RECORD):
            return reverse("inspections:external_evaluation_mine")
        cycle = EvaluationCycle.objects.current()
        if cycle is not None:
            return cycle.get_absolute_url()
        return reverse("inspections:framework_list")


def rating_sections(
    version: FrameworkVersion, ratings: models.QuerySet, attachments: models.QuerySet, form: PointRatingsForm | None
) -> list[dict]:
    """Areas → key indicators → points of a handbook version, each point with its rating, its
    attachments and (when filling in) its form fields. A fixed number of queries."""
    by_point = {r.point_id: r for r in ratings.select_related("level")}
    files: dict[int | None, list] = {}
    for attachment in attachments:
        files.setdefault(attachment.point_id, []).append(attachment)
    sections = []
    for area in version.structure():
        indicators = []
        for indicator in area.indicator_list:
            rows = []
            for point in indicator.point_list:
                row = {"point": point, "rating": by_point.get(point.pk), "attachments": files.get(point.pk, [])}
                if form is not None:
                    row.update(
                        level=form[level_field(point.pk)],
                        note=form[form.note_key(point.pk)],
                        files=form[files_field(point.pk)],
                    )
                rows.append(row)
            indicators.append({"indicator": indicator, "rows": rows})
        sections.append({"area": area, "indicators": indicators})
    return sections


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Serves an attachment to those who may see the record it belongs to (`model.objects.restrict`);
    to anyone else it does not exist."""

    model: type[AttachmentBase]

    def get(self, request, pk: int) -> HttpResponse:
        attachment = get_object_or_404(self.model.objects.restrict(request.user, "view"), pk=pk)
        return file_response(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


class RatingsEditView(LoginRequiredMixin, TemplateView, metaclass=ABCMeta):
    """The one page where a record's per-point ratings are filled in: a director's self-assessment,
    the evaluators' visit record. Save the draft any time, submit when every point is rated.

    A subclass declares what differs between the two: the model and its form, who may fill it
    (`permits`), the services that save and submit it, and the wording of the messages. The
    template extends `inspections/_ratings_form.html`, one short template per record.
    """

    accepts_uploads = True  # the upload body limit (common.limits)

    model: type[models.Model]
    related: tuple[str, ...] = ("kindergarten", "cycle", "framework_version")
    record_name: str  # the record's name in the template ("assessment", "evaluation")
    edit_url_name: str
    attachment_delete_url: str  # the URL name that deletes one of the record's attachments
    refusal: str  # who may not fill it is told this (PermissionDenied)
    locked_message: str  # a POST once the record has left draft
    already_submitted: str  # a GET once the record has left draft
    saved_message: str
    submitted_message: str
    incomplete: type[ValidationError]  # what `submit` raises, with `missing` points

    @abstractmethod
    def permits(self, user, record) -> bool:
        """Whether `user` may fill `record` now (its state and the permission layer)."""

    @abstractmethod
    def get_form(self, data=None, files=None) -> PointRatingsForm:
        """The record's ratings form, bound to `data`/`files` on POST."""

    @abstractmethod
    def missing_points(self) -> list:
        """The points not rated yet, listed above the form."""

    @abstractmethod
    def sections(self, form: PointRatingsForm) -> list[dict]:
        """The form's fields grouped by area and key indicator, with each point's files."""

    @abstractmethod
    def general_attachments(self) -> list[AttachmentBase]:
        """Files attached to the whole record rather than to one point."""

    @abstractmethod
    def save(self, form: PointRatingsForm) -> None:
        """Hands the valid form (ratings, other fields, uploads) to the record's save service."""

    @abstractmethod
    def submit(self) -> None:
        """Hands the record to the submit service (raises `incomplete` when points are missing)."""

    @abstractmethod
    def incomplete_message(self, incomplete: ValidationError) -> str:
        """The message shown when a submit is refused for missing points."""

    def mark_incomplete(self, form: PointRatingsForm, incomplete: ValidationError) -> None:
        for point in incomplete.missing:
            form.add_point_error(point.pk, _("请为该考查要点评分。"))

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.record = get_object_or_404(
            self.model.objects.restrict(request.user, "change").select_related(*self.related), pk=kwargs["pk"]
        )
        if not self.permits(request.user, self.record):
            raise PermissionDenied(str(self.refusal))
        if not self.record.is_draft:
            if request.method == "POST":
                raise Locked(str(self.locked_message))
            messages.info(request, str(self.already_submitted))
            return redirect(self.record)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form: PointRatingsForm | None = None, missing=None, **kwargs):
        context = super().get_context_data(**kwargs)
        form = form or self.get_form()
        sections = self.sections(form)
        missing = self.missing_points() if missing is None else missing
        numbers = {r["point"].pk: r["point"].number for s in sections for i in s["indicators"] for r in i["rows"]}
        for point in missing:
            point.number = numbers.get(point.pk)
        total = len(numbers)
        context.update(
            {self.record_name: self.record},
            record=self.record,
            attachment_delete_url=self.attachment_delete_url,
            form=form,
            sections=sections,
            general_attachments=self.general_attachments(),
            missing=missing,
            total=total,
            rated=total - len(missing),
        )
        return context

    def _invalid(self, form: PointRatingsForm) -> HttpResponse:
        messages.error(self.request, _("请更正下列标红的内容，本次填写尚未保存。"))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = self.get_form(request.POST, request.FILES)
        if not form.is_valid():
            return self._invalid(form)
        try:
            self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self._invalid(form)

        self.record.refresh_from_db()
        if request.POST.get("action") != "submit":
            messages.success(request, str(self.saved_message))
            return redirect(self.edit_url_name, pk=self.record.pk)
        try:
            self.submit()
        except self.incomplete as incomplete:
            self.mark_incomplete(form, incomplete)
            messages.warning(request, self.incomplete_message(incomplete))
            return self.render_to_response(
                self.get_context_data(form=form, missing=incomplete.missing, submit_failed=True)
            )
        messages.success(request, str(self.submitted_message))
        return redirect(self.record)
