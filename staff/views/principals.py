"""Principals' pages: the principals in post (stage, credits, certificates), a principal's file
with the history of stages, the reserve-cadre pool, credits against the stage's requirement (who
is behind), the dual-certificate check of the plan period, and the course catalogue."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.mixins import BureauRequiredMixin
from accounts.permissions import Act, may

from ..choices import CareerStage
from ..filtersets import CourseFilterSet, PrincipalFilterSet
from ..forms import CourseForm, StageForm
from ..models import Course, Person, StaffMember
from ..selectors_development import (
    appointed_in_period,
    credit_year_end,
    principal_posts,
    stage_on,
    with_certificates,
    with_credits,
)
from ..services import course_save, stage_record
from ..tables import CertificateCheckTable, CourseTable, CreditTable, PrincipalTable


def _visible(posts, user):
    return posts.filter(pk__in=StaffMember.objects.visible_to(user).values("pk")).select_related(
        "person", "kindergarten"
    )


def _year(request, today: datetime.date) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= today.year else today.year


class PrincipalListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """Principals in post today: stage, this year's credits against the requirement, both certificates."""

    filterset_class = PrincipalFilterSet
    table_class = PrincipalTable
    template_name = "staff/principal_list.html"
    paginate_by = 50

    def get_queryset(self):
        today = timezone.localdate()
        posts = with_credits(principal_posts(today), today.year, today)
        return with_certificates(_visible(posts, self.request.user), today).order_by(
            "kindergarten__code", "person__name"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = self.object_list.order_by()
        context["summary"] = rows.aggregate(
            total=Count("pk"), behind=Count("pk", filter=Q(completed=False)), missing=Count("pk", filter=Q(dual=False))
        )
        context["stage_counts"] = _stage_counts(rows)
        context["year"] = timezone.localdate().year
        return context


def _stage_counts(rows) -> list[tuple[str, int]]:
    counts = dict(rows.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    # Reserve cadres are not principals yet: they have a page of their own.
    stages = [(value, label) for value, label in CareerStage.choices if value != CareerStage.RESERVE]
    return [(label, counts.get(value, 0)) for value, label in stages] + [(_("未登记"), counts.get(None, 0))]


class PrincipalCreditView(PrincipalListView):
    """Credits earned in a year against the stage's requirement (学分制); `behind=true` lists who is behind."""

    table_class = CreditTable
    template_name = "staff/principal_credits.html"

    def get_queryset(self):
        today = timezone.localdate()
        year = _year(self.request, today)
        day = credit_year_end(year, today)
        posts = with_credits(principal_posts(day), year, day)
        return _visible(posts, self.request.user).order_by("completed", "kindergarten__code", "person__name")

    def get_context_data(self, **kwargs):
        context = super(PrincipalListView, self).get_context_data(**kwargs)
        today = timezone.localdate()
        rows = self.object_list.order_by()
        context["summary"] = rows.aggregate(total=Count("pk"), behind=Count("pk", filter=Q(completed=False)))
        context["year"] = _year(self.request, today)
        context["years"] = range(today.year, today.year - 5, -1)
        return context


class PrincipalCertificateView(PrincipalListView):
    """The dual-certificate check (双证上岗) of every principal appointed in the plan period."""

    table_class = CertificateCheckTable
    template_name = "staff/principal_certificates.html"

    def get_queryset(self):
        today = timezone.localdate()
        self.period, posts = appointed_in_period(today)
        posts = posts.annotate(stage=stage_on(today))
        return with_certificates(_visible(posts, self.request.user), today).order_by("dual", "-hired_on")

    def get_context_data(self, **kwargs):
        context = super(PrincipalListView, self).get_context_data(**kwargs)
        rows = self.object_list.order_by()
        context["summary"] = summary = rows.aggregate(total=Count("pk"), dual_count=Count("pk", filter=Q(dual=True)))
        context["missing"] = summary["total"] - summary["dual_count"]
        context["period"] = self.period
        return context


class ReservePoolView(PrincipalListView):
    """The reserve-cadre pool (后备干部库): people whose current stage is 后备, at their current posts."""

    template_name = "staff/principal_reserve.html"

    def get_queryset(self):
        today = timezone.localdate()
        posts = StaffMember.objects.on(today).annotate(stage=stage_on(today)).filter(stage=CareerStage.RESERVE)
        posts = with_certificates(with_credits(posts, today.year, today), today)
        return _visible(posts, self.request.user).order_by("kindergarten__code", "person__name")


class PrincipalDetailView(LoginRequiredMixin, DetailView):
    """A principal's (or reserve cadre's) development file: stages, credits per year, trainings, certificates."""

    template_name = "staff/principal_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person, user = self.object, self.request.user
        trainings = person.trainings.select_related("course", "kindergarten")
        context.update(
            stages=person.career_stages.select_related("kindergarten", "recorded_by"),
            posts=person.posts.select_related("kindergarten").order_by("-hired_on"),
            certificates=person.certificates.all(),
            credits_by_year=trainings.annotate(year=ExtractYear("attended_on"))
            .values("year")
            .annotate(credits=Sum("credits"), hours=Sum("hours"))
            .order_by("-year"),
            trainings=trainings[:50],
            can_manage=may(user, Act.MANAGE),
            stage_form=StageForm(initial={"since": timezone.localdate()}),
        )
        return context


class StageRecordView(BureauRequiredMixin, View):
    """POST a stage change for a person (the bureau)."""

    def post(self, request, pk: int):
        person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
        form = StageForm(request.POST)
        if form.is_valid():
            try:
                stage_record(person=person, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("已登记发展阶段。"))
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        return redirect(reverse("staff:principal_detail", args=[person.pk]))


class CourseListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    filterset_class = CourseFilterSet
    table_class = CourseTable
    template_name = "staff/training_courses.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            Course.objects.visible_to(self.request.user)
            .annotate(attendance_count=Count("attendances"))
            .order_by("-starts_on", "title")
        )


class CourseEditView(BureauRequiredMixin, FormView):
    form_class = CourseForm
    template_name = "staff/training_course_form.html"
    success_url = reverse_lazy("staff:course_list")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "pk" in self.kwargs:
            kwargs["instance"] = get_object_or_404(Course.objects.all(), pk=self.kwargs["pk"])
        return kwargs

    def form_valid(self, form):
        try:
            course_save(user=self.request.user, course=form.instance if form.instance.pk else None, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存培训课程。"))
        return super().form_valid(form)
