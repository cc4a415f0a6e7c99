"""The resident child population per sub-district and age: the table, and the bureau's edit form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from accounts.mixins import BureauRequiredMixin
from accounts.permissions import Act, may
from kindergartens.models import Subdistrict

from .. import services
from ..choices import PopulationBasis
from ..forms import PopulationForm, age_field_name
from ..models import ChildPopulation
from ..selectors import population_table, population_years


class PopulationListView(LoginRequiredMixin, TemplateView):
    """Children by sub-district and age for one year, for the sub-districts the user may see."""

    template_name = "enrollment/population_list.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        basis = self.request.GET.get("basis") or PopulationBasis.RESIDENT
        if basis not in PopulationBasis.values:
            raise Http404
        years = population_years(user, basis)
        year = self.request.GET.get("year")
        if year:
            if not year.isdigit() or not 2000 <= int(year) <= 2100:
                raise Http404
            year = int(year)
        else:
            year = years[0] if years else timezone.localdate().year
        rows, totals, missing = population_table(user, year=year, basis=basis)
        context.update(
            rows=rows,
            year=year,
            years=sorted({*years, year}, reverse=True),
            basis=basis,
            bases=PopulationBasis.choices,
            ages=services.POPULATION_AGES,
            totals=totals,
            missing=missing,
            can_edit=may(user, Act.MANAGE),
        )
        return context


class PopulationEditView(BureauRequiredMixin, FormView):
    form_class = PopulationForm
    template_name = "enrollment/population_form.html"

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        if not 2000 <= kwargs["year"] <= 2100:
            raise Http404
        self.subdistrict = get_object_or_404(Subdistrict, pk=kwargs["subdistrict_pk"])
        self.year = kwargs["year"]
        basis = request.POST.get("basis") or request.GET.get("basis") or PopulationBasis.RESIDENT
        self.basis = basis if basis in PopulationBasis.values else PopulationBasis.RESIDENT

    def get_initial(self) -> dict:
        rows = ChildPopulation.objects.filter(subdistrict=self.subdistrict, year=self.year, basis=self.basis)
        initial = {age_field_name(age): children for age, children in rows.values_list("age", "children")}
        return {**initial, "basis": self.basis}

    def form_valid(self, form: PopulationForm) -> HttpResponse:
        try:
            services.population_set(
                subdistrict=self.subdistrict,
                year=self.year,
                basis=form.cleaned_data["basis"],
                children_by_age=form.children_by_age(),
                user=self.request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("已保存%(name)s %(year)s年儿童人口。") % {"name": self.subdistrict.name, "year": self.year}
        )
        query = urlencode({"year": self.year, "basis": form.cleaned_data["basis"]})
        return HttpResponseRedirect(f"{reverse('enrollment:population_list')}?{query}")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(subdistrict=self.subdistrict, year=self.year, basis=self.basis)
        return context
