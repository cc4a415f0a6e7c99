from django.db import models
from django.utils.translation import gettext_lazy as _


class SubdistrictKind(models.TextChoices):
    STREET = "street", _("街道")
    AREA = "area", _("地区(乡)")


class SponsorType(models.TextChoices):
    EDUCATION_BUREAU = "education_bureau", _("教育部门")
    GOVERNMENT_ORGAN = "government_organ", _("其他机关/事业单位")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    ARMY = "army", _("部队")
    SUBDISTRICT = "subdistrict", _("街道/乡镇")
    VILLAGE_COLLECTIVE = "village_collective", _("农村集体")
    PRIVATE_NONPROFIT = "private_nonprofit", _("民办非营利性")
    PRIVATE_FORPROFIT = "private_forprofit", _("民办营利性")


# Sponsors that make a kindergarten public (公办园), per domain.md §1.
PUBLIC_SPONSORS = frozenset(
    {
        SponsorType.EDUCATION_BUREAU,
        SponsorType.GOVERNMENT_ORGAN,
        SponsorType.STATE_ENTERPRISE,
        SponsorType.ARMY,
        SponsorType.SUBDISTRICT,
        SponsorType.VILLAGE_COLLECTIVE,
    }
)


class Ownership(models.TextChoices):
    PUBLIC = "public", _("公办")
    PRIVATE = "private", _("民办")


class InclusiveStatus(models.TextChoices):
    PUBLIC = "public", _("公办园")
    INCLUSIVE_PRIVATE = "inclusive_private", _("普惠性民办园")
    NON_INCLUSIVE_PRIVATE = "non_inclusive_private", _("非普惠性民办园")


class LicenceStatus(models.TextChoices):
    LICENSED = "licensed", _("已取得办园许可")
    COMMUNITY_POINT = "community_point", _("社区办园点")
    UNLICENSED = "unlicensed", _("无证园")
    SUSPENDED = "suspended", _("停办")
    CLOSED = "closed", _("已撤销")


class EstateStage(models.TextChoices):
    PLANNING = "planning", _("规划")
    CONSTRUCTION = "construction", _("建设")
    HANDOVER = "handover", _("移交")
    IN_USE = "in_use", _("使用")


class NamingRuleCategory(models.TextChoices):
    NATIONAL_SCOPE = "national_scope", _("冠以国家或国际范围字样")
    FOREIGN_WORD = "foreign_word", _("含外语词")
    FOREIGN_PLACE = "foreign_place", _("含外国国名、地名")
    CURRICULUM_CLAIM = "curriculum_claim", _("片面强调课程特色或等级")
    RELIGIOUS = "religious", _("带有宗教色彩")
    PUBLIC_SCHOOL_NAME = "public_school_name", _("民办园使用公办学校名称或简称")


class EstateGapKind(models.TextChoices):
    """The four ways a residential-estate kindergarten fails to be in place (四个不到位)."""

    PLANNING = "planning", _("规划不到位")
    CONSTRUCTION = "construction", _("配建不到位")
    HANDOVER = "handover", _("移交不到位")
    USE = "use", _("使用不到位")


# The registry boolean that mirrors each kind's open gap (kept in step by kindergartens.estates).
ESTATE_GAP_FIELDS = {
    EstateGapKind.PLANNING: "estate_planning_gap",
    EstateGapKind.CONSTRUCTION: "estate_construction_gap",
    EstateGapKind.HANDOVER: "estate_handover_gap",
    EstateGapKind.USE: "estate_use_gap",
}


class EstateOwner(models.TextChoices):
    """Who must act to close a gap."""

    DEVELOPER = "developer", _("建设单位/开发商")
    PLANNING_AUTHORITY = "planning_authority", _("规划和自然资源部门")
    HOUSING_AUTHORITY = "housing_authority", _("住房城乡建设部门")
    SUBDISTRICT = "subdistrict", _("街道/乡镇")
    EDUCATION_BUREAU = "education_bureau", _("区教委")


class DayType(models.TextChoices):
    """Full-day or half-day (全日制 / 半日制): the staffing standard differs (staff.compliance)."""

    FULL_DAY = "full_day", _("全日制")
    HALF_DAY = "half_day", _("半日制")
