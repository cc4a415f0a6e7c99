"""`{% supervision_panel kindergarten %}`: a kindergarten's supervision orders, interviews and
notices on its safety page, as far as the user may see them (through the scoped querysets)."""

from django import template

from ..models import SupervisionInterview, SupervisionNotice, SupervisionOrder

register = template.Library()


@register.inclusion_tag("safety/includes/supervision_panel.html", takes_context=True)
def supervision_panel(context, kindergarten) -> dict:
    user = context["request"].user
    return {
        "orders": SupervisionOrder.objects.visible_to(user)
        .filter(hazard__kindergarten=kindergarten)
        .select_related("hazard")[:10],
        "interviews": SupervisionInterview.objects.visible_to(user).filter(order__hazard__kindergarten=kindergarten)[
            :10
        ],
        "notices": SupervisionNotice.objects.visible_to(user).filter(order__hazard__kindergarten=kindergarten)[:10],
    }
