"""What the record pages (incidents, disputes, the footage register, posts) share: the form page
that calls a service and shows its refusals as form errors, and the "who keeps records" check."""

from __future__ import annotations

from abc import abstractmethod

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.functional import cached_property
from django.views.generic import FormView

from ..forms import keepable_kindergartens
from ..services import may_keep_profile


class RecordFormView(LoginRequiredMixin, FormView):
    """A form page whose `save(form)` calls a service. A new record needs a kindergarten the user
    keeps (else 403); an existing one is found among the rows the user may see (else 404) and
    needs its kindergarten kept by the user (else 403)."""

    model = None  # the model of an existing record (edit pages); None for new records
    template_name = "safety/incident_form.html"
    title = ""
    done = ""
    list_url = reverse_lazy("safety:index")  # where "cancel" goes from a new record

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.check_keeper()
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def record(self):
        if self.model is None:
            return None
        return get_object_or_404(self.model.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    def record_kindergarten(self):
        return self.record.kindergarten

    def check_keeper(self) -> None:
        if self.record is None:
            if not keepable_kindergartens(self.request.user).exists():
                raise PermissionDenied
        elif not may_keep_profile(self.request.user, self.record_kindergarten()):
            raise PermissionDenied

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.record is not None and "instance" not in kwargs:
            kwargs["instance"] = self.record
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, record=self.record, cancel_url=self.cancel_url(), **kwargs)

    def cancel_url(self) -> str:
        return self.record.get_absolute_url() if self.record is not None else str(self.list_url)

    @abstractmethod
    def save(self, form):
        """Calls the service with the form's data; returns the record to go to."""

    def form_valid(self, form):
        try:
            saved = self.save(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        if self.done:
            messages.success(self.request, self.done)
        return redirect(saved)
