"""Choices of the reports app. Indicator codes are not among them: each app declares its own
(`reports.registry`), so the list stays open to apps that come later."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Authority(models.TextChoices):
    CHAOYANG = "chaoyang", _("朝阳区行动计划")
    NATIONAL = "national", _("国家县域普及普惠督导评估标准")


class Comparison(models.TextChoices):
    AT_LEAST = "gte", _("不低于")
    AT_MOST = "lte", _("不高于")


class ScopeType(models.TextChoices):
    DISTRICT = "district", _("全区")
    SUBDISTRICT = "subdistrict", _("街道/地区")
    OWNERSHIP = "ownership", _("举办者类型")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("运行中")
    SUCCEEDED = "succeeded", _("成功")
    FAILED = "failed", _("失败")
    SKIPPED = "skipped", _("已跳过")  # another run held the lock; this one wrote nothing


class WarningKind(models.TextChoices):
    SEAT_SHORTAGE = "seat_shortage", _("学位供给不足")
    UNDERUSED_INCLUSIVE = "underused_inclusive", _("普惠园学位利用率低")


class ScorecardStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class ScoreDirection(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class ScoreRule(models.TextChoices):
    """How an indicator's value becomes a share of its weight (see docs/scorecard.md)."""

    RATIO_TO_TARGET = "ratio_to_target", _("达标比例：min(实际值 ÷ 目标值, 1)")
    COUNT_TO_CAP = "count_to_cap", _("数量：不超过目标值得满分，否则 max(0, 1 − 实际值 ÷ 上限)")
