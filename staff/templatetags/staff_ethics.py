"""`{% ethics_flags person %}`: the serious-violation flag on a person's page or when a
kindergarten adds them (renders templates/staff/ethics_flags.html; nothing when there is none)."""

from django import template

from ..models import ethics_flags_for

register = template.Library()


@register.inclusion_tag("staff/ethics_flags.html")
def ethics_flags(person) -> dict:
    return {"ethics_flags": ethics_flags_for(person) if person is not None else []}
