"""The residential-estate kindergartens board (居住区配套园) and its workbook."""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views import View
from django_filters.views import FilterView

from accounts.permissions import Act, may
from common.spreadsheets import xlsx_response

from .estates import AGREEMENT_WARNING_DAYS, board_rows, estate_board, export_filename, export_sheets
from .filtersets import EstateKindergartenFilterSet


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
