"""The residential-estate kindergartens board (居住区配套园) and its workbook."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView

from accounts.permissions import Act, may
from common.spreadsheets import xlsx_response

from .estate_forms import GapOpenForm, GapResolveForm, StageMoveForm
from .estates import (
    AGREEMENT_WARNING_DAYS,
    EstateRow,
    board_rows,
    estate_board,
    estate_gap_open,
    estate_gap_resolve,
    estate_stage_move,
    export_filename,
    export_sheets,
)
from .filtersets import EstateKindergartenFilterSet
from .models import EstateGap


class EstateAccessMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Bureau and sub-district officials (the dashboard's readers); rows are scoped by `estate_board`."""

    def test_func(self) -> bool:
        return may(self.request.user, Act.DASHBOARD)


class EstateBoardView(EstateAccessMixin, FilterView):
    filterset_class = EstateKindergartenFilterSet
    template_name = "kindergartens/estate_board.html"
    paginate_by = 25

    def get_queryset(self):
        return estate_board(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = board_rows(context["object_list"], timezone.localdate())
        context["warning_days"] = AGREEMENT_WARNING_DAYS
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


class EstateExportView(EstateAccessMixin, View):
    """The board's filtered rows as a workbook, limited to what the user may see."""

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = estate_board(request.user)
        filterset = EstateKindergartenFilterSet(request.GET or None, queryset=queryset, request=request)
        rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else queryset.none()
        filename, fallback = export_filename()
        return xlsx_response(filename, export_sheets(rows), fallback=fallback)


FORMS = {"stage": StageMoveForm, "open": GapOpenForm, "resolve": GapResolveForm}


class EstateDetailView(EstateAccessMixin, DetailView):
    """One estate kindergarten: its stage history and every gap; the bureau moves the stage and
    opens or resolves gaps here (`kindergartens.estates` services)."""

    template_name = "kindergartens/estate_detail.html"
    context_object_name = "kindergarten"

    def get_queryset(self):
        return estate_board(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kindergarten = self.object
        today = timezone.localdate()
        context["row"] = EstateRow(kindergarten, today)
        context["stages"] = kindergarten.estate_stage_changes.order_by("date", "pk")
        context["gaps"] = [(gap, gap.days_lasted(today)) for gap in kindergarten.estate_gap_records.order_by("-since")]
        context["can_manage"] = may(self.request.user, Act.MANAGE, kindergarten)
        if context["can_manage"]:
            for name, form_class in FORMS.items():
                context.setdefault(f"{name}_form", form_class(prefix=name))
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.object = self.get_object()
        if not may(request.user, Act.MANAGE, self.object):
            raise PermissionDenied
        action = request.POST.get("action", "")
        form_class = FORMS.get(action)
        if form_class is None:
            raise Http404
        form = form_class(request.POST, prefix=action)
        if form.is_valid():
            try:
                self.perform(action, form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect("kindergartens:estate_detail", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))

    def perform(self, action: str, data: dict) -> None:
        user, kindergarten = self.request.user, self.object
        if action == "stage":
            estate_stage_move(kindergarten=kindergarten, user=user, **data)
        elif action == "open":
            estate_gap_open(kindergarten=kindergarten, user=user, **data)
        else:
            gap = get_object_or_404(EstateGap.objects.filter(kindergarten=kindergarten), pk=data["gap"])
            estate_gap_resolve(gap=gap, resolved_on=data["resolved_on"], note=data["note"], user=user)


def add_errors(form, error: ValidationError) -> None:
    """A service's errors on the form's fields where they name one, else on the form."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)
