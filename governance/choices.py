"""Choices of the governance app: recognition, fees and subsidies."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecognitionStatus(models.TextChoices):
    APPLIED = "applied", _("已申请，待街道意见")
    AWAITING_REVIEW = "awaiting_review", _("待区教委审核")
    RECOGNISED = "recognised", _("已认定")
    REJECTED = "rejected", _("不予认定")
    REVOKED = "revoked", _("已撤销认定")


# An application still being decided: a kindergarten may not apply again meanwhile.
PENDING_RECOGNITION_STATUSES = (RecognitionStatus.APPLIED, RecognitionStatus.AWAITING_REVIEW)
# A kindergarten has at most one application in these states at a time.
LIVE_RECOGNITION_STATUSES = (*PENDING_RECOGNITION_STATUSES, RecognitionStatus.RECOGNISED)


class RecognitionAction(models.TextChoices):
    APPLIED = "applied", _("提交申请")
    OPINION = "opinion", _("录入街道意见")
    RECOGNISED = "recognised", _("认定")
    REJECTED = "rejected", _("不予认定")
    REVIEWED = "reviewed", _("年度复核")
    RENEWED = "renewed", _("延续认定")
    REVOKED = "revoked", _("撤销认定")


class Opinion(models.TextChoices):
    AGREE = "agree", _("同意")
    DISAGREE = "disagree", _("不同意")


class KindergartenGrade(models.TextChoices):
    """The kindergarten's grade (办园等级), which sets its fee cap and subsidy rate."""

    MODEL = "model", _("示范园")
    FIRST = "first", _("一级园")
    SECOND = "second", _("二级园")
    THIRD = "third", _("三级园")


class FeeKind(models.TextChoices):
    """Whose fees a cap binds: public kindergartens or recognised inclusive private ones."""

    PUBLIC = "public", _("公办园")
    INCLUSIVE_PRIVATE = "inclusive_private", _("普惠性民办园")


class FeeItemKind(models.TextChoices):
    CARE_EDUCATION = "care_education", _("保育教育费")
    BOARDING = "boarding", _("住宿费")
    MEALS = "meals", _("伙食费")
    OTHER = "other", _("其他")


class AlertKind(models.TextChoices):
    ABOVE_CAP = "above_cap", _("收费超过限价")
    NOT_FILED = "not_filed", _("本学年收费未备案")
    SPONSOR_PAYMENT = "sponsor_payment", _("非营利性民办园向举办者支付款项")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    RESOLVED = "resolved", _("已处理")


class AidCategory(models.TextChoices):
    DIFFICULTY = "difficulty", _("家庭经济困难")
    ORPHAN = "orphan", _("孤儿")
    DISABLED = "disabled", _("残疾儿童")
