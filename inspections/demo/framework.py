"""The demo handbook: version 1's structure copied, two points written for the demo under each
key indicator (every one starting with "【演示】", origin "演示数据"), published as its own
version named as a demo handbook — never presented as the guide's official wording."""

from __future__ import annotations

from accounts.models import User

from .. import services
from ..choices import PointOrigin
from ..models import FrameworkVersion, KeyIndicator

DEMO_HANDBOOK_NAME = "朝阳区幼儿园保育教育质量评估手册（演示版，非正式文件）"


DEMO_SOURCE = "演示数据：由平台为演示编写，不是《幼儿园保育教育质量评估指南》原文"


POINT_SOURCE = "平台为演示编写，非《指南》原文"


DEMO_DESCRIPTION = "仅供演示和培训使用。考查要点均以“【演示】”开头，正式评估请使用区教委发布的评估手册。"


# Two demo points per key indicator (written for the demo; not the guide's wording).
DEMO_POINTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "党建工作": (
        ("【演示】园所党组织在重大事项决策中发挥作用", "查阅会议记录，访谈园长", "党组织会议记录"),
        ("【演示】党员教师在保教工作中发挥示范作用", "访谈教师，查阅活动记录", "党员示范岗记录"),
    ),
    "品德启蒙": (
        ("【演示】一日生活中有意识地培养幼儿良好品德", "观察一日生活各环节", "活动照片、观察记录"),
        ("【演示】通过节日和社区活动开展爱家乡爱祖国启蒙", "查阅活动方案", "活动方案和总结"),
    ),
    "科学理念": (
        ("【演示】坚持以游戏为基本活动，不提前教授小学内容", "观察半日活动，查阅课程安排", "周计划、课程表"),
        ("【演示】园所课程方案符合幼儿身心发展规律", "查阅课程方案", "课程方案"),
    ),
    "卫生保健": (
        ("【演示】晨午检和全日健康观察落实到位", "查阅晨检记录，观察入园环节", "晨检记录"),
        ("【演示】膳食营养搭配合理并定期分析", "查阅带量食谱和营养分析", "食谱、营养分析报告"),
    ),
    "生活照料": (
        ("【演示】进餐、饮水、如厕、午睡等环节照料细致", "观察生活环节", "观察记录"),
        ("【演示】引导幼儿逐步养成自理能力", "观察幼儿自理情况", "观察记录、照片"),
    ),
    "安全防护": (
        ("【演示】安全管理制度健全，定期开展隐患排查", "查阅制度和排查台账", "隐患排查台账"),
        ("【演示】每季度开展应急疏散演练", "查阅演练记录", "演练方案和照片"),
    ),
    "活动组织": (
        ("【演示】一日活动安排动静交替、室内外结合", "查阅作息表，观察活动", "一日作息表"),
        ("【演示】保证幼儿每天充足的户外活动时间", "观察户外活动", "户外活动记录"),
    ),
    "师幼互动": (
        ("【演示】教师尊重幼儿，耐心倾听并积极回应", "观察师幼对话", "观察记录"),
        ("【演示】教师通过观察了解幼儿并支持其学习", "查阅观察记录和个案分析", "观察记录、个案分析"),
    ),
    "家园共育": (
        ("【演示】建立家长委员会并定期开展家园沟通", "查阅家委会记录，访谈家长", "家委会会议记录"),
        ("【演示】为家长提供科学育儿指导", "查阅家长学校活动记录", "家长学校活动材料"),
    ),
    "空间设施": (
        ("【演示】室内外活动空间满足幼儿活动需要", "实地查看园舍场地", "园舍平面图、照片"),
        ("【演示】设施设备安全、卫生、适合幼儿使用", "实地查看设施设备", "设施检查记录"),
    ),
    "玩具材料": (
        ("【演示】玩具材料种类丰富、数量充足", "查看各班活动区", "玩具材料清单"),
        ("【演示】提供低结构材料，支持幼儿自主探索", "观察区域活动", "区域活动照片"),
    ),
    "师德师风": (
        ("【演示】教职工遵守职业行为准则，关爱幼儿", "查阅师德考核，访谈家长", "师德考核记录"),
        ("【演示】建立师德问题发现和处理机制", "查阅相关制度", "制度文件"),
    ),
    "人员配备": (
        ("【演示】按标准配备教师和保育员", "查阅人员花名册", "教职工花名册"),
        ("【演示】教师和园长持证上岗", "查阅资格证书", "资格证书复印件"),
    ),
    "专业发展": (
        ("【演示】园本教研常态开展并解决实际问题", "查阅教研记录", "教研活动记录"),
        ("【演示】教师培训计划落实，培训覆盖全体教师", "查阅培训台账", "培训台账"),
    ),
    "激励机制": (
        ("【演示】绩效考核注重保教实绩", "查阅考核方案", "考核方案"),
        ("【演示】教职工待遇保障落实到位", "查阅工资和社保缴纳记录", "工资和社保记录"),
    ),
}


def demo_handbook(bureau: User | None) -> FrameworkVersion:
    existing = FrameworkVersion.objects.filter(is_demo=True, name=DEMO_HANDBOOK_NAME).order_by("-version").first()
    if existing is not None and existing.is_published:
        return existing
    if existing is None:
        national = FrameworkVersion.objects.get(version=1)
        existing = services.framework_version_copy(source=national, user=bureau, name=DEMO_HANDBOOK_NAME, is_demo=True)
        services.framework_version_update(
            version=existing, user=bureau, name=DEMO_HANDBOOK_NAME, source=DEMO_SOURCE, description=DEMO_DESCRIPTION
        )
    for indicator in KeyIndicator.objects.filter(area__framework_version=existing).order_by("order"):
        if indicator.points.exists():
            continue
        for text, guidance, evidence in DEMO_POINTS.get(indicator.name, ()):
            services.assessment_point_create(
                key_indicator=indicator,
                user=bureau,
                text=text,
                guidance=guidance,
                evidence_expected=evidence,
                origin=PointOrigin.DEMO,
                source=POINT_SOURCE,
            )
    return services.framework_version_publish(version=existing, user=bureau)
