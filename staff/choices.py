"""Enums of the staff app, shared by models, forms, filters and the API."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kindergartens import choices as kindergartens_choices


class Gender(models.TextChoices):
    FEMALE = "female", _("女")
    MALE = "male", _("男")


class Education(models.TextChoices):
    """Highest education completed (最高学历)."""

    POSTGRADUATE = "postgraduate", _("研究生")
    BACHELOR = "bachelor", _("本科")
    ASSOCIATE = "associate", _("专科")
    SECONDARY = "secondary", _("中专/高中")
    BELOW = "below", _("高中以下")


class ProfessionalTitle(models.TextChoices):
    """Professional title (职称) of kindergarten teachers and other staff."""

    NONE = "none", _("未评职称")
    THIRD = "third", _("三级教师")
    SECOND = "second", _("二级教师")
    FIRST = "first", _("一级教师")
    SENIOR = "senior", _("高级教师")
    PROFESSOR = "professor", _("正高级教师")
    OTHER = "other", _("其他系列职称")


class StaffRole(models.TextChoices):
    PRINCIPAL = "principal", _("园长")
    DEPUTY_PRINCIPAL = "deputy_principal", _("副园长")
    TEACHER = "teacher", _("专任教师")
    CAREGIVER = "caregiver", _("保育员")
    HEALTH = "health", _("卫生保健人员")
    COOK = "cook", _("炊事人员")
    SECURITY = "security", _("安保人员")
    OTHER = "other", _("其他")


# Who counts where in the staffing standard (domain.md §2).
PRINCIPAL_ROLES = frozenset({StaffRole.PRINCIPAL, StaffRole.DEPUTY_PRINCIPAL})
# 保教人员: the teachers and caregivers who are with the children.
CARE_AND_TEACHING_ROLES = frozenset({StaffRole.TEACHER, StaffRole.CAREGIVER})


class Establishment(models.TextChoices):
    ESTABLISHED = "established", _("在编")
    CONTRACT = "contract", _("合同制")


class CertificateKind(models.TextChoices):
    TEACHER = "teacher", _("教师资格证")
    PRINCIPAL = "principal", _("园长任职资格（培训合格）证")
    HEALTH = "health", _("健康证")
    SECURITY = "security", _("保安员证")
    OTHER = "other", _("其他证书")


# Full-day or half-day kindergartens have different staffing standards; the registry records it
# (`Kindergarten.day_type`).
DayType = kindergartens_choices.DayType


class StaffingCheck(models.TextChoices):
    """The checks of the staffing standard, each met / not met per kindergarten (domain.md §2)."""

    ALL_STAFF = "all_staff_ratio", _("全园教职工与幼儿比")
    CARERS = "carer_ratio", _("保教人员与幼儿比")
    PER_CLASS = "per_class", _("每班专任教师和保育员")
    PRINCIPALS = "principals", _("园长配备")
    HEALTH = "health_staff", _("专职卫生保健人员")
    FULLTIME_TEACHERS = "fulltime_teacher_ratio", _("专任教师与幼儿比")
    TEACHER_CERTIFICATES = "teacher_certificates", _("专任教师持证")
    PRINCIPAL_CERTIFICATES = "principal_certificates", _("园长持证")


# The numbers of staff; the certificate checks are measured by their own rates.
STAFFING_CHECKS = (
    StaffingCheck.ALL_STAFF,
    StaffingCheck.CARERS,
    StaffingCheck.PER_CLASS,
    StaffingCheck.PRINCIPALS,
    StaffingCheck.HEALTH,
    StaffingCheck.FULLTIME_TEACHERS,
)
CERTIFICATE_CHECKS = (StaffingCheck.TEACHER_CERTIFICATES, StaffingCheck.PRINCIPAL_CERTIFICATES)


class CertificateState(models.TextChoices):
    """A post's certificates on a day, for filters (a post may be in several)."""

    COMPLETE = "complete", _("应持证书齐全")
    MISSING = "missing", _("缺少应持证书")
    EXPIRING = "expiring", _("证书即将到期")
    EXPIRED = "expired", _("证书已过期")


# --- development, ethics and pay (principals, training, research, ethics, pay) ---------------


class CareerStage(models.TextChoices):
    """A principal's career stage (园长专业发展阶段)."""

    RESERVE = "reserve", _("后备")
    NEW = "new", _("新任")
    GROWING = "growing", _("成长期")
    MATURE = "mature", _("成熟期")
    EXPERT = "expert", _("专家型")


class TrainingLevel(models.TextChoices):
    DISTRICT = "district", _("区级")
    CLUSTER = "cluster", _("片区级")
    KINDERGARTEN = "kindergarten", _("园级")


class TrainingMode(models.TextChoices):
    ONLINE = "online", _("线上")
    OFFLINE = "offline", _("线下")


class TrainingSource(models.TextChoices):
    """How a training record came in."""

    INDIVIDUAL = "individual", _("个人登记")
    IMPORT = "import", _("名单导入")
    RESEARCH = "research", _("教研活动")


class TitleApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("已申报")
    APPROVED = "approved", _("已通过")
    REFUSED = "refused", _("未通过")


class ReviewRating(models.TextChoices):
    """A pairing's yearly review: how far the year's goals were reached."""

    ACHIEVED = "achieved", _("达成")
    PARTLY = "partly", _("部分达成")
    NOT_ACHIEVED = "not_achieved", _("未达成")


class EthicsKind(models.TextChoices):
    WARNING = "warning", _("警示提醒")
    VIOLATION = "violation", _("违反师德行为")


class EthicsSeverity(models.TextChoices):
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("严重")
