"""Peak-hour posts (护学岗): the roster, its form, and the coverage per sub-district."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.mixins import ScopedQuerysetMixin
from kindergartens.models import Kindergarten

from ..filtersets import SafetyPostFilterSet
from ..forms import SafetyPostForm, keepable_kindergartens
from ..models import PeakHourRule, SafetyPost
from ..models.posts import coverage_by_subdistrict
from ..services import post_record, post_update
from ..tables import SafetyPostTable
from .records import RecordFormView


class SafetyPostListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = SafetyPost.objects.select_related("kindergarten__subdistrict")
    filterset_class = SafetyPostFilterSet
    table_class = SafetyPostTable
    template_name = "safety/post_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_record=keepable_kindergartens(self.request.user).exists(), **kwargs)


class SafetyPostCreateView(RecordFormView):
    form_class = SafetyPostForm
    template_name = "safety/post_form.html"
    title = gettext_lazy("新增护学岗")
    done = gettext_lazy("已保存护学岗。")
    list_url = reverse_lazy("safety:post_list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = {}
        if self.request.GET.get("kindergarten", "").isdigit():
            initial["kindergarten"] = int(self.request.GET["kindergarten"])
        return initial

    def save(self, form):
        post = post_record(kindergarten=form.cleaned_data["kindergarten"], user=self.request.user, **form.post_fields())
        return _roster_of(post)


class SafetyPostEditView(RecordFormView):
    model = SafetyPost
    form_class = SafetyPostForm
    template_name = "safety/post_form.html"
    title = gettext_lazy("修改护学岗")
    done = gettext_lazy("已保存护学岗。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def cancel_url(self) -> str:
        return _roster_of(self.record)

    def save(self, form):
        return _roster_of(post_update(post=self.record, user=self.request.user, **form.post_fields()))


def _roster_of(post: SafetyPost) -> str:
    """Back to the kindergarten's roster after saving one of its posts."""
    return f"{reverse('safety:post_list')}?kindergarten={post.kindergarten_id}"


class PostCoverageView(LoginRequiredMixin, TemplateView):
    """Operating kindergartens covered at the morning peak ÷ operating kindergartens, per sub-district
    (one GROUP BY query over what the user may see)."""

    template_name = "safety/post_coverage.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        rule = PeakHourRule.objects.for_day(today)
        rows = []
        if rule is not None:
            rows = coverage_by_subdistrict(Kindergarten.objects.visible_to(self.request.user), rule)
            for row in rows:
                row["percent"] = 100 * row["covered"] / row["total"] if row["total"] else None
                row["gap"] = row["total"] - row["covered"]
            # The sub-districts with gaps first, the worst at the top.
            rows.sort(key=lambda row: (row["percent"] if row["percent"] is not None else 100, row["subdistrict__code"]))
        covered, total = sum(r["covered"] for r in rows), sum(r["total"] for r in rows)
        return super().get_context_data(
            rule=rule,
            rows=rows,
            covered=covered,
            total=total,
            percent=100 * covered / total if total else None,
            today=today,
            **kwargs,
        )
