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


class EvaluationStatus(models.TextChoices):
    """A supervisory (external) evaluation: recorded by its team, approved and published by the bureau."""

    DRAFT = "draft", _("记录中")
    SUBMITTED = "submitted", _("待审定")
    PUBLISHED = "published", _("已公布")


class ResultGrade(models.TextChoices):
    """The overall result of a supervisory evaluation."""

    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    QUALIFIED = "qualified", _("合格")
    UNQUALIFIED = "unqualified", _("不合格")


class IssueSource(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("幼儿园自评")
    EXTERNAL_EVALUATION = "external_evaluation", _("督导评估")


class IssueStatus(models.TextChoices):
    """An item of a kindergarten's issue list (问题清单): open until its improvement is verified."""

    OPEN = "open", _("待整改")
    REPORTED = "reported", _("待验证")
    VERIFIED = "verified", _("已验证")


class IssueEventKind(models.TextChoices):
    REPORT = "report", _("报告整改成效")
    VERIFY = "verify", _("验证通过")
    SEND_BACK = "send_back", _("退回重新整改")
    # Corrections by the evaluator or the bureau while the issue is not verified.
    UPDATE = "update", _("修改问题")
    CHANGE_DEADLINE = "change_deadline", _("调整整改期限")


class OrderReason(models.TextChoices):
    DANGEROUS_BUILDING = "dangerous_building", _("园舍存在危房")
    THREE_DEFENCES = "three_defences", _("“三防”不达标")
    UNQUALIFIED_PRINCIPAL = "unqualified_principal", _("园长不具备任职资格")
    UNQUALIFIED_TEACHER = "unqualified_teacher", _("教师不具备任职资格")
    OTHER = "other", _("其他违规办园行为")


class OrderStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    RECTIFIED = "rectified", _("已整改")
    PENALISED = "penalised", _("逾期未改已处罚")


class PenaltyKind(models.TextChoices):
    WARNING = "warning", _("警告")
    FINE = "fine", _("罚款")
    STOP_ENROLMENT = "stop_enrolment", _("责令停止招生")
    REVOKE_LICENCE = "revoke_licence", _("吊销办学许可证")
    OTHER = "other", _("其他")


class UnlicensedCaseStatus(models.TextChoices):
    """An unlicensed kindergarten (无证园) from discovery to closure or conversion."""

    DISCOVERED = "discovered", _("已发现")
    ORDERED_TO_CLOSE = "ordered_to_close", _("已责令关停")
    ORDERED_TO_CONVERT = "ordered_to_convert", _("已责令整改转型")
    CLOSED = "closed", _("已关停")
    CONVERTED = "converted", _("已转为合规")


# Statuses in which an unlicensed kindergarten still operates: the "dynamic zero" counts these.
OPEN_UNLICENSED_STATUSES = frozenset(
    {UnlicensedCaseStatus.DISCOVERED, UnlicensedCaseStatus.ORDERED_TO_CLOSE, UnlicensedCaseStatus.ORDERED_TO_CONVERT}
)


class ConductCaseKind(models.TextChoices):
    TRAINING_INSTITUTION = "training_institution", _("培训机构违规开展学前教育")
    CORPORAL_PUNISHMENT = "corporal_punishment", _("体罚或变相体罚")
    ETHICS = "ethics", _("师德失范")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("处理中")
    CLOSED = "closed", _("已结案")
