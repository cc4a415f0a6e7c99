"""Enums of the safety app, shared by models, forms, filters and the API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CoveredArea(models.TextChoices):
    """Where the cameras look (issue 9: gates, classrooms, dormitories, play areas, kitchen …)."""

    GATES = "gates", _("出入口")
    CLASSROOMS = "classrooms", _("教室")
    DORMITORIES = "dormitories", _("寝室")
    PLAY_AREAS = "play_areas", _("户外活动场地")
    KITCHEN = "kitchen", _("厨房")
    CORRIDORS = "corridors", _("走廊楼道")
    PERIMETER = "perimeter", _("周界")


class RuleCode(models.TextChoices):
    """The rules of the rule set, each evaluated into met / not met (domain.md §3)."""

    SAFETY_MANAGER = "safety_manager", _("专职安全管理人员")
    GUARDS = "guards", _("专职保安员")
    ALARM = "alarm", _("一键式报警与公安联网")
    VIDEO_LINKED = "video_linked", _("视频监控与公安联网")
    VIDEO_RETENTION = "video_retention", _("监控录像保存期")
    INTRUSION_LOGS = "intrusion_logs", _("入侵报警记录保存期")
    ACCESS_LOGS = "access_logs", _("门禁记录保存期")
    CLOSED_CAMPUS = "closed_campus", _("封闭式管理")
    DRILLS = "drills", _("每季度疏散演练")
    CARERS = "carers", _("幼儿身边看护人员")


class DrillKind(models.TextChoices):
    EVACUATION = "evacuation", _("疏散演练")
    FIRE = "fire", _("消防演练")
    ANTI_INTRUSION = "anti_intrusion", _("防暴反恐演练")
    EARTHQUAKE = "earthquake", _("防震演练")


# Drills that count for the quarterly evacuation rule: every one of them evacuates the building
# except the anti-intrusion drill (which locks it down).
EVACUATION_DRILLS = frozenset({DrillKind.EVACUATION, DrillKind.FIRE, DrillKind.EARTHQUAKE})


class HazardCategory(models.TextChoices):
    BUILDING = "building", _("校舍")
    FIRE = "fire", _("消防")
    FOOD = "food", _("食品")
    FACILITIES = "facilities", _("设施设备")
    TRANSPORT = "transport", _("交通")
    STAFF = "staff", _("人员")
    THREE_DEFENCES = "three_defences", _("人防物防技防")
    OTHER = "other", _("其他")


class Severity(models.TextChoices):
    GENERAL = "general", _("一般隐患")
    MAJOR = "major", _("重大隐患")


class HazardStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    RECTIFYING = "rectifying", _("整改中")
    SUBMITTED = "submitted", _("待验收")
    CLOSED = "closed", _("已验收销号")


OPEN_HAZARD_STATUSES = (HazardStatus.OPEN, HazardStatus.RECTIFYING, HazardStatus.SUBMITTED)


class HazardAction(models.TextChoices):
    OPENED = "opened", _("发现并登记")
    STARTED = "started", _("开始整改")
    SUBMITTED = "submitted", _("提交整改结果")
    CLOSED = "closed", _("验收销号")
    SENT_BACK = "sent_back", _("退回重改")


class PhotoStage(models.TextChoices):
    BEFORE = "before", _("整改前")
    AFTER = "after", _("整改后")


# --- incidents, disputes, footage register, peak-hour posts (issue 9 parts 4–6) ----------------


class IncidentSeverity(models.TextChoices):
    MINOR = "minor", _("一般")
    SERIOUS = "serious", _("严重")


class RecordStatus(models.TextChoices):
    """Incidents and disputes: open until resolved (with the day they were)."""

    OPEN = "open", _("处理中")
    RESOLVED = "resolved", _("已办结")


class InsuranceStatus(models.TextChoices):
    FILED = "filed", _("已报案")
    PROCESSING = "processing", _("理赔中")
    PAID = "paid", _("已赔付")
    REFUSED = "refused", _("不予赔付")


class FootageAccess(models.TextChoices):
    VIEW = "view", _("查看")
    RETRIEVE = "retrieve", _("调取")
    COPY = "copy", _("复制")


class FootageStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")


# A decided entry of the footage register is never edited or deleted again.
DECIDED_FOOTAGE_STATUSES = (FootageStatus.APPROVED, FootageStatus.REFUSED)


class PostKind(models.TextChoices):
    POLICE = "police", _("警务护学岗")
    SCHOOL_GATE = "school_gate", _("校门护学岗")
    VOLUNTEER = "volunteer", _("志愿者护学岗")


class Weekday(models.IntegerChoices):
    """Days of a post, stored as a bit mask (1 << value) so coverage is one SQL expression."""

    MONDAY = 0, _("周一")
    TUESDAY = 1, _("周二")
    WEDNESDAY = 2, _("周三")
    THURSDAY = 3, _("周四")
    FRIDAY = 4, _("周五")
    SATURDAY = 5, _("周六")
    SUNDAY = 6, _("周日")


def days_mask(days) -> int:
    """The bit mask of an iterable of `Weekday` values."""
    mask = 0
    for day in days:
        mask |= 1 << int(day)
    return mask


def mask_days(mask: int) -> list[int]:
    """The `Weekday` values of a bit mask, Monday first."""
    return [day.value for day in Weekday if mask & (1 << day.value)]


class ChecklistFrequency(models.TextChoices):
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    SPOT = "spot", _("专项")


class ChecklistStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class CheckKind(models.TextChoices):
    SELF = "self", _("园所自查")
    SPOT = "spot", _("督导抽查")


class CheckStatus(models.TextChoices):
    DRAFT = "draft", _("填写中")
    SUBMITTED = "submitted", _("已提交")


class CheckOutcome(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")
    NOT_APPLICABLE = "na", _("不适用")


class SupervisionLevel(models.TextChoices):
    """Who supervises a major hazard's rectification, from the kindergarten up (重大隐患督办)."""

    KINDERGARTEN = "kindergarten", _("幼儿园")
    SUBDISTRICT = "subdistrict", _("街道/地区")
    BUREAU = "bureau", _("区教委")


# The ladder's rungs in order: an order only ever moves up.
SUPERVISION_LEVELS = (SupervisionLevel.KINDERGARTEN, SupervisionLevel.SUBDISTRICT, SupervisionLevel.BUREAU)
ESCALATED_LEVELS = (SupervisionLevel.SUBDISTRICT, SupervisionLevel.BUREAU)


class SupervisionStatus(models.TextChoices):
    OPEN = "open", _("督办中")
    CLOSED = "closed", _("已销号")


class SupervisionEventKind(models.TextChoices):
    OPENED = "opened", _("立案督办")
    ESCALATED = "escalated", _("升级督办")
    LINKED = "linked", _("关联整改通知")
    CLOSED = "closed", _("隐患销号，督办结束")


class InterviewParty(models.TextChoices):
    """Whom an interview (约谈) or notice (通报) is addressed to."""

    KINDERGARTEN = "kindergarten", _("幼儿园")
    SPONSOR = "sponsor", _("举办者")
    BOTH = "both", _("幼儿园及举办者")
