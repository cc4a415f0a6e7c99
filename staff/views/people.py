"""The staff registry pages: the overview, the staff list, a kindergarten's staff with its
staffing checks, adding and editing a staff member, a person's page and the recorded reveal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.history import history_entries
from accounts.mixins import BureauAdminRequiredMixin, ScopedChangeMixin, ScopedQuerysetMixin
from accounts.permissions import Act, may
from accounts.scoping import CHANGE
from kindergartens.models import Kindergarten

from ..compliance import evaluate_kindergarten
from ..filtersets import KindergartenStaffingFilterSet, StaffMemberFilterSet
from ..forms import (
    CertificateEditFormSet,
    CertificateFormSet,
    PersonEditForm,
    PersonForm,
    PostEditForm,
    PostForm,
    RevealForm,
)
from ..models import IdReveal, Person, StaffingStandard, StaffMember, ethics_flags_for
from ..selectors import expired_certificates, expiring_certificates, with_certificate_state, with_staffing_checks
from ..services import (
    certificates_save,
    id_reveal,
    may_keep_staff,
    person_update,
    staff_member_add,
    staff_member_update,
)
from ..tables import KindergartenStaffingTable, KindergartenStaffTable, StaffMemberTable
from .common import KindergartenScopedMixin, put_errors


class StaffIndexView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    """The kindergartens the user may see with their staffing checks; a director goes to their own."""

    filterset_class = KindergartenStaffingFilterSet
    table_class = KindergartenStaffingTable
    template_name = "staff/index.html"
    paginate_by = 25

    def get(self, request, *args, **kwargs):
        if may(request.user, Act.FILL) and not may(request.user, Act.MANAGE):
            return redirect("staff:kindergarten", pk=request.user.kindergarten_id)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        day = timezone.localdate()
        visible = Kindergarten.objects.restrict(self.request.user).operating().select_related("subdistrict")
        return with_staffing_checks(visible, day, StaffingStandard.objects.for_day(day)).order_by(
            "subdistrict__code", "code"
        )


class StaffMemberListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    """Every post the user may see (current ones unless asked otherwise), with certificate states."""

    filterset_class = StaffMemberFilterSet
    table_class = StaffMemberTable
    template_name = "staff/member_list.html"
    paginate_by = 50

    def get_queryset(self):
        day = timezone.localdate()
        posts = StaffMember.objects.select_related("person", "kindergarten").restrict(self.request.user)
        return with_certificate_state(posts, day, StaffingStandard.objects.for_day(day))

    def get_table_kwargs(self):
        return {"can_edit": may_keep_staff(self.request.user)}


class KindergartenStaffView(KindergartenScopedMixin, SingleTableMixin, TemplateView):
    """A kindergarten's staff page: each check met / not met with its reason, its current staff,
    and the certificates of its staff that expire soon or have expired."""

    table_class = KindergartenStaffTable
    template_name = "staff/kindergarten.html"
    paginate_by = 50

    @cached_property
    def day(self):
        return timezone.localdate()

    def get_table_data(self):
        posts = StaffMember.objects.current().filter(kindergarten=self.kindergarten).select_related("person")
        standard = StaffingStandard.objects.for_day(self.day)
        return with_certificate_state(posts, self.day, standard).order_by("role", "person__name")

    def get_table_kwargs(self):
        return {"can_edit": may_keep_staff(self.request.user, self.kindergarten)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        standard, figures, results = evaluate_kindergarten(self.kindergarten, self.day)
        holders = StaffMember.objects.current().filter(kindergarten=self.kindergarten).values("person")
        notice = standard.expiry_notice_days if standard else 0
        context.update(
            kindergarten=self.kindergarten,
            standard=standard,
            figures=figures,
            results=results,
            unmet=sum(1 for r in results if not r.met),
            expiring=expiring_certificates(self.day, notice).filter(person__in=holders).select_related("person"),
            expired=expired_certificates(self.day).filter(person__in=holders).select_related("person"),
            notice_days=notice,
            can_keep=may_keep_staff(self.request.user, self.kindergarten),
            former=StaffMember.objects.filter(kindergarten=self.kindergarten, left_on__isnull=False).count(),
            today=self.day,
        )
        return context


class StaffMemberCreateView(KindergartenScopedMixin, TemplateView):
    """A director (on a phone) or the bureau adds a staff member: person, post and certificates."""

    template_name = "staff/member_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.require_keeper()
        return super().dispatch(request, *args, **kwargs)

    def forms(self, data=None) -> dict:
        return {
            "person_form": PersonForm(data, prefix="person"),
            "post_form": PostForm(data, prefix="post", initial={"hired_on": timezone.localdate()}),
            "certificates": CertificateFormSet(data, prefix="cert"),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(kindergarten=self.kindergarten, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(**self.forms()))

    def post(self, request, *args, **kwargs):
        forms = self.forms(request.POST)
        person_form, post_form, certificates = forms.values()
        if person_form.is_valid() & post_form.is_valid() & certificates.is_valid():
            person = {name: person_form.cleaned_data[name] for name in PersonForm.Meta.fields if name != "id_number"}
            try:
                member = staff_member_add(
                    kindergarten=self.kindergarten,
                    user=request.user,
                    id_number=person_form.cleaned_data["id_number"],
                    person=person,
                    post=post_form.cleaned_data,
                    certificates=certificates.rows(),
                )
            except ValidationError as error:
                put_errors(person_form, error)
            else:
                if member.person.posts.count() > 1:
                    messages.info(
                        request, _("该身份证号码已有个人档案，已关联原档案（保留其在其他幼儿园的任职经历）。")
                    )
                messages.success(request, _("已添加教职工：%(name)s。") % {"name": member.person.name})
                # A serious violation recorded at any kindergarten is told to the one taking them on.
                if ethics_flags_for(member.person):
                    messages.warning(
                        request,
                        _("注意：%(name)s 有严重师德违规记录，详见其个人档案。") % {"name": member.person.name},
                    )
                return redirect("staff:kindergarten", pk=self.kindergarten.pk)
        return self.render_to_response(self.get_context_data(**forms))


class StaffMemberEditView(LoginRequiredMixin, FormView):
    """Changes a post: role, establishment, full time, dates; a leaving date ends it."""

    template_name = "staff/post_form.html"
    form_class = PostEditForm

    @cached_property
    def member(self) -> StaffMember:
        posts = StaffMember.objects.restrict(self.request.user, CHANGE).select_related("person", "kindergarten")
        return get_object_or_404(posts, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.member}

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, **kwargs)

    def form_valid(self, form):
        try:
            staff_member_update(member=self.member, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存岗位信息。"))
        return redirect("staff:kindergarten", pk=self.member.kindergarten_id)


class PersonDetailView(ScopedQuerysetMixin, DetailView):
    """A person: details, masked ID number, certificates and their posts across kindergartens."""

    queryset = Person.objects.all()
    template_name = "staff/person_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person, user = self.object, self.request.user
        day = timezone.localdate()
        context.update(
            posts=StaffMember.objects.visible_to(user)
            .filter(person=person)
            .select_related("kindergarten")
            .order_by("-hired_on"),
            certificates=[(c, c.is_valid_on(day)) for c in person.certificates.all()],
            can_edit=Person.objects.restrict(user, CHANGE).filter(pk=person.pk).exists(),
            can_reveal=may(user, Act.ADMINISTER),
            reveals=IdReveal.objects.restrict(user).filter(person=person).select_related("revealed_by")[:20],
            history=history_entries(person),
            today=day,
        )
        return context


class PersonEditView(ScopedChangeMixin, DetailView):
    """Edits a person's details (and corrects their ID number) and their certificates."""

    queryset = Person.objects.prefetch_related(Prefetch("certificates"))
    template_name = "staff/person_form.html"
    context_object_name = "person"

    def forms(self, data=None) -> dict:
        person = self.object
        initial = [
            {"id": c.pk, "kind": c.kind, "number": c.number, "issued_on": c.issued_on, "expires_on": c.expires_on}
            for c in person.certificates.all()
        ]
        return {
            "person_form": PersonEditForm(data, instance=person, prefix="person"),
            "certificates": CertificateEditFormSet(data, prefix="cert", initial=initial),
        }

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(**self.forms()))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        forms = self.forms(request.POST)
        person_form, certificates = forms.values()
        if person_form.is_valid() & certificates.is_valid():
            fields = {
                name: person_form.cleaned_data[name] for name in PersonEditForm.Meta.fields if name != "id_number"
            }
            try:
                person_update(
                    person=self.object, user=request.user, id_number=person_form.cleaned_data["id_number"], **fields
                )
                certificates_save(person=self.object, user=request.user, rows=certificates.rows())
            except ValidationError as error:
                put_errors(person_form, error)
            else:
                messages.success(request, _("已保存个人信息和证书。"))
                return redirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(**forms))


class IdRevealView(BureauAdminRequiredMixin, ScopedQuerysetMixin, DetailView):
    """The whole ID number, for a bureau administrator, after stating a reason; every reveal is recorded."""

    queryset = Person.objects.all()
    template_name = "staff/reveal.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=kwargs.pop("form", None) or RevealForm(), **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = RevealForm(request.POST)
        if form.is_valid():
            number = id_reveal(person=self.object, user=request.user, reason=form.cleaned_data["reason"])
            response: HttpResponse = render(request, "staff/revealed.html", {"person": self.object, "number": number})
            response["Cache-Control"] = "no-store"
            return response
        return self.render_to_response(self.get_context_data(form=form))
