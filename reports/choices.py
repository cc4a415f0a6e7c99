from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    """Indicator codes: a public contract other systems rely on. Never rename one."""

    GROSS_ENROLLMENT_RATE = "gross_enrollment_rate", _("学前三年毛入园率")
    INCLUSIVE_COVERAGE = "inclusive_coverage", _("普惠性幼儿园覆盖率")
    PUBLIC_SHARE = "public_share", _("公办园在园幼儿占比")
    SEAT_UTILISATION = "seat_utilisation", _("学位使用率")
    CLASS_SIZE_COMPLIANCE = "class_size_compliance", _("班额达标率")
    UNLICENSED_OPEN = "unlicensed_open", _("未清理无证园数")
    FORECAST_SHORTFALL = "forecast_shortfall", _("预测学位缺口")
    UNLICENSED_OPEN_CASES = "unlicensed_open_cases", _("未办结无证园案件数")


HEADLINE_INDICATORS = (Indicator.GROSS_ENROLLMENT_RATE, Indicator.INCLUSIVE_COVERAGE, Indicator.PUBLIC_SHARE)


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
