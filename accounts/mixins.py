"""View mixins that put every page behind login and the scoping rules."""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin

from .permissions import Act, may
from .scoping import CHANGE, VIEW, Action


class ScopedQuerysetMixin(LoginRequiredMixin):
    """Limits a generic view's queryset to what the user may see (or change): others get 404."""

    scope_action: Action = VIEW

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, self.scope_action)


class ScopedChangeMixin(ScopedQuerysetMixin):
    scope_action: Action = CHANGE


class BureauRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Pages only bureau staff use (creating records, imports). Others get 403."""

    def test_func(self) -> bool:
        return may(self.request.user, Act.MANAGE)


class BureauAdminRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self) -> bool:
        return may(self.request.user, Act.ADMINISTER)
