"""Registry pages: thin generic views that declare queryset, filterset, table and form."""

from django.contrib import messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.history import history_entries
from accounts.mixins import BureauRequiredMixin, ScopedChangeMixin, ScopedQuerysetMixin

from .choices import LicenceStatus, NamingRuleCategory
from .filtersets import KindergartenFilterSet
from .forms import KindergartenForm
from .models import Kindergarten, Subdistrict
from .naming import violations_of
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
        context["branches"] = kindergarten.branches.visible_to(self.request.user).only("id", "name", "code")
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
