"""`{% quality_results kindergarten %}`: the "质量评估" section of a kindergarten's page.

An inclusion tag, so the kindergarten page needs no change in its view: the tag reads the
user from the request and everything it shows goes through `restrict(user)`
(`inspections.results.kindergarten_quality`), in a constant number of queries.
"""

from __future__ import annotations

from django import template
from django.utils import timezone

from ..results import kindergarten_quality

register = template.Library()


@register.inclusion_tag("inspections/results_kindergarten_section.html", takes_context=True)
def quality_results(context, kindergarten) -> dict:
    request = context["request"]
    user = request.user
    return {
        "kindergarten": kindergarten,
        "quality": kindergarten_quality(user, kindergarten),
        "today": timezone.localdate(),
        "user": user,
    }


@register.filter
def grade_label(value: str | None) -> str:
    """The Chinese label of a result grade code ("good" → 良好); "" for none."""
    from ..choices import ResultGrade

    return str(ResultGrade(value).label) if value in ResultGrade.values else ""


@register.inclusion_tag("inspections/_kindergarten_open_orders.html", takes_context=True)
def open_orders(context, kindergarten) -> dict:
    """`{% open_orders kindergarten %}`: the kindergarten's open rectification orders the user may
    see, each with "提交整改报告" for the director who may answer it now. One query."""
    from django.db.models import Exists, OuterRef

    from accounts.permissions import Act, may

    from ..choices import OrderStatus
    from ..models import OrderAnswer, RectificationOrder
    from ..models.order_answers import AnswerDecision

    user = context["request"].user
    waiting = OrderAnswer.objects.filter(order=OuterRef("pk"), decision=AnswerDecision.PENDING)
    orders = (
        RectificationOrder.objects.restrict(user, "view")
        .filter(kindergarten=kindergarten, status=OrderStatus.OPEN)
        .annotate(waiting=Exists(waiting))
    )
    reports = may(user, Act.REPORT, kindergarten)
    return {"orders": [(order, reports and not order.waiting) for order in orders]}
