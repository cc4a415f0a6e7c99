"""What the staff pages share: the kindergarten of the URL within the user's reach."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from kindergartens.models import Kindergarten

from ..services import may_keep_staff


class KindergartenScopedMixin(LoginRequiredMixin):
    """The kindergarten of the URL, if the user may see it (otherwise it does not exist: 404)."""

    @cached_property
    def kindergarten(self) -> Kindergarten:
        visible = Kindergarten.objects.visible_to(self.request.user).select_related("subdistrict")
        return get_object_or_404(visible, pk=self.kwargs["pk"])

    def require_keeper(self) -> None:
        if not may_keep_staff(self.request.user, self.kindergarten):
            raise PermissionDenied(_("只有本园园长或区教委工作人员可以维护教职工信息。"))


def put_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: its fields where the form has them, else the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
