"""Enumerations of the quality-evaluation app, shared by models, forms and the API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class PointOrigin(models.TextChoices):
    """Where a point's wording comes from: official text is only shipped with its source."""

    OFFICIAL = "official", _("《指南》原文")
    DISTRICT = "district", _("区评估手册")
    DEMO = "demo", _("演示数据")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已通过")


# Allowed status changes of a self-assessment; anything else is refused by the model itself.
ASSESSMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AssessmentStatus.DRAFT: frozenset({AssessmentStatus.SUBMITTED}),
    AssessmentStatus.SUBMITTED: frozenset({AssessmentStatus.RETURNED, AssessmentStatus.ACCEPTED}),
    AssessmentStatus.RETURNED: frozenset(),
    AssessmentStatus.ACCEPTED: frozenset(),
}
