"""School years: list, create, edit the deadline, lock and unlock (bureau staff)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from accounts.history import history_entries
from accounts.mixins import BureauRequiredMixin

from .. import services
from ..forms import SchoolYearForm
from ..models import SchoolYear
from ..selectors import REPORTED, expected_to_report, tracker_counts


class SchoolYearListView(BureauRequiredMixin, ListView):
    template_name = "enrollment/schoolyear_list.html"

    def get_queryset(self) -> QuerySet[SchoolYear]:
        return SchoolYear.objects.select_related("locked_by").annotate(
            submitted=Count("submissions", filter=Q(submissions__status__in=REPORTED)),
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["operating"] = expected_to_report(self.request.user).count()
        return context


class SchoolYearCreateView(BureauRequiredMixin, CreateView):
    form_class = SchoolYearForm
    template_name = "enrollment/schoolyear_form.html"

    def form_valid(self, form: SchoolYearForm) -> HttpResponse:
        try:
            school_year = services.school_year_create(
                start_year=form.cleaned_data["start_year"],
                submission_due=form.cleaned_data["submission_due"],
                remind_days_before=form.cleaned_data["remind_days_before"],
                remind_days_after=form.cleaned_data["remind_days_after"],
                user=self.request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已创建%(year)s。") % {"year": school_year})
        return redirect("enrollment:schoolyear_list")


class SchoolYearUpdateView(BureauRequiredMixin, UpdateView):
    form_class = SchoolYearForm
    template_name = "enrollment/schoolyear_form.html"

    def get_object(self, queryset=None) -> SchoolYear:
        return get_object_or_404(SchoolYear, start_year=self.kwargs["start_year"])

    def form_valid(self, form: SchoolYearForm) -> HttpResponse:
        school_year = services.school_year_update(
            school_year=self.object,
            submission_due=form.cleaned_data["submission_due"],
            remind_days_before=form.cleaned_data["remind_days_before"],
            remind_days_after=form.cleaned_data["remind_days_after"],
            user=self.request.user,
        )
        messages.success(self.request, _("已保存%(year)s。") % {"year": school_year})
        return redirect("enrollment:schoolyear_list")

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "history": history_entries(self.object)}


class SchoolYearLockView(BureauRequiredMixin, TemplateView):
    """Asks for confirmation (GET), then locks or unlocks the year (POST)."""

    template_name = "enrollment/schoolyear_lock.html"
    lock = True

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        school_year = get_object_or_404(SchoolYear, start_year=self.kwargs["start_year"])
        counts = tracker_counts(self.request.user, school_year)
        context.update(
            school_year=school_year,
            lock=self.lock,
            total=sum(r["total"] for r in counts),
            submitted=sum(r["submitted"] for r in counts),
        )
        return context

    def post(self, request: HttpRequest, start_year: int) -> HttpResponse:
        school_year = get_object_or_404(SchoolYear, start_year=start_year)
        if self.lock:
            try:
                services.school_year_lock(school_year=school_year, user=request.user)
            except ValidationError as refused:
                messages.error(request, " ".join(refused.messages))
                return HttpResponseRedirect(reverse("enrollment:schoolyear_lock", args=[start_year]))
            messages.success(request, _("已锁定%(year)s，园所不能再修改本学年数据。") % {"year": school_year})
        else:
            services.school_year_unlock(school_year=school_year, user=request.user)
            messages.success(request, _("已解锁%(year)s。") % {"year": school_year})
        return HttpResponseRedirect(f"{reverse('enrollment:tracker')}?{urlencode({'year': start_year})}")


class SchoolYearUnlockView(SchoolYearLockView):
    lock = False
