"""View mixins that put every page behind login and the scoping rules."""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin

from .scoping import CHANGE, VIEW, Action, may_create


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
        return may_create(self.request.user)


class BureauAdminRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self) -> bool:
        return self.request.user.is_bureau_admin
