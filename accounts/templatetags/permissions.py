"""`{% load permissions %}` … `{% if user|may:"enforce" %}`: templates ask the permission layer too."""

from django import template

from accounts.permissions import may as may_act

register = template.Library()


@register.filter
def may(user, action: str) -> bool:
    """Whether the user takes `action` anywhere (see `accounts.permissions.RULES`)."""
    return may_act(user, action)
