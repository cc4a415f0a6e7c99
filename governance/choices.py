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


class CreditSubject(models.TextChoices):
    """Whose credit an event weighs on: the kindergarten, its sponsor (举办者) or its principal."""

    KINDERGARTEN = "kindergarten", _("幼儿园")
    SPONSOR = "sponsor", _("举办者")
    PRINCIPAL = "principal", _("园长")


class CreditEventKind(models.TextChoices):
    ORDER = "order", _("收到限期整改通知")
    ORDER_PENALISED = "order_penalised", _("逾期未整改被处罚")
    CONDUCT_CASE = "conduct_case", _("体罚或师德失范案件")
    FEE_ABOVE_CAP = "fee_above_cap", _("收费超过限价")
    SPONSOR_PAYMENT = "sponsor_payment", _("非营利性民办园向举办者支付款项")
    MAJOR_HAZARD = "major_hazard", _("重大安全隐患逾期未整改")
    EVALUATION_UNQUALIFIED = "evaluation_unqualified", _("督导评估不合格")
    EVALUATION_EXCELLENT = "evaluation_excellent", _("督导评估优秀")
    COMMENDATION = "commendation", _("表彰奖励")


class CreditEventStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    WITHDRAWN = "withdrawn", _("已撤销（申诉成立）")


class CreditLevel(models.TextChoices):
    A = "A", _("A 级（守信）")
    B = "B", _("B 级（基本守信）")
    C = "C", _("C 级（失信警示）")
    D = "D", _("D 级（严重失信）")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    UPHELD = "upheld", _("申诉成立")
    DISMISSED = "dismissed", _("申诉不成立")


class ExitKind(models.TextChoices):
    SUSPENSION = "suspension", _("停办")
    CLOSURE = "closure", _("撤销（终止办园）")
