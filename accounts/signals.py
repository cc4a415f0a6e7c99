"""Signal receivers of the accounts app, connected in `AccountsConfig.ready()`."""

from __future__ import annotations


def revoke_tokens_on_password_change(sender, instance, created: bool, **kwargs) -> None:
    """post_save of the user: `set_password()` leaves the raw password in `_password` until the
    save completes, so a saved user with one has just changed their password."""
    if not created and getattr(instance, "_password", None) is not None:
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user=instance).delete()
