"""Enumerations of the notifications app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    SELF_ASSESSMENT_DUE = "self_assessment_due", _("自评即将截止")
    SELF_ASSESSMENT_OVERDUE = "self_assessment_overdue", _("自评已逾期")
    SELF_ASSESSMENT_RETURNED = "self_assessment_returned", _("自评被退回")
    ISSUE_DUE = "issue_due", _("问题整改即将到期")
    ISSUE_OVERDUE = "issue_overdue", _("问题整改已逾期")
    ORDER_DUE = "order_due", _("整改通知即将到期")
    ORDER_OVERDUE = "order_overdue", _("整改通知已逾期")
    SERIOUS_INCIDENT = "serious_incident", _("严重伤害事故")
    HAZARD_OVERDUE = "hazard_overdue", _("安全隐患整改已逾期")
    DRILL_MISSING = "drill_missing", _("本季度疏散演练未完成")
    ALARM_UNTESTED = "alarm_untested", _("一键式报警超期未测试")
    ENROLLMENT_DUE = "enrollment_due", _("在园情况报送即将截止")
    ENROLLMENT_OVERDUE = "enrollment_overdue", _("在园情况报送已逾期")
    CERTIFICATE_EXPIRING = "certificate_expiring", _("教职工证书即将到期")
    CERTIFICATE_EXPIRED = "certificate_expired", _("教职工证书已过期")
    RECOGNITION_EXPIRING = "recognition_expiring", _("普惠认定即将到期或已到期")
    RECOGNITION_REVIEW_DUE = "recognition_review_due", _("普惠认定年度复核")
    FEE_FILING_MISSING = "fee_filing_missing", _("收费未备案")


# Kinds that say something is late: shown with the warning colour.
OVERDUE_KINDS = frozenset(
    {
        NotificationKind.SELF_ASSESSMENT_OVERDUE,
        NotificationKind.ISSUE_OVERDUE,
        NotificationKind.ORDER_OVERDUE,
        NotificationKind.HAZARD_OVERDUE,
        NotificationKind.ENROLLMENT_OVERDUE,
        NotificationKind.CERTIFICATE_EXPIRED,
    }
)
