"""The dashboard's help and the report's last page: the terms every figure relies on, then each
indicator's definition as its app declares it (`reports.registry`), so the help cannot drift from
the code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from enrollment.forecast import FORECAST_METHOD_HELP

from . import registry

ZERO_DENOMINATOR_HELP = _("分母为 0 时不计算指标值，显示为“—”。")

# Terms every figure relies on; the indicators' own formulas come from their declarations
# (`IndicatorDefinition.definition`, next to their queries), so the help cannot drift from the code.
GENERAL_TERMS = (
    (
        _("在园幼儿"),
        _(
            "在已取得办园许可的幼儿园和社区办园点就读小班、中班、大班、混合班的幼儿，不限年龄。"
            "托班（2–3 岁）幼儿单独统计，不计入三项目标；无证园的幼儿不计入任何目标。"
        ),
    ),
    (
        _("公办园"),
        _(
            "由教育部门、其他机关或事业单位、国有企业、部队、街道（乡镇）或农村集体利用财政经费"
            "或国有、集体资产举办的幼儿园。"
        ),
    ),
    (
        _("普惠性民办园"),
        _(
            "经教育部门认定、面向社会招生、执行政府指导价收费并接受财政扶持的非营利性民办幼儿园；"
            "只在认定有效期内计为普惠。"
        ),
    ),
    (
        _("统计口径"),
        _(
            "某一日期的指标使用该日期所在学年（9 月 1 日至次年 8 月 31 日）的在园数据，"
            "以及该学年开始当年的常住人口数（如 2025–2026 学年使用 2025 年人口）。"
        ),
    ),
    (
        _("目标值"),
        _(
            "朝阳区行动计划的 2025 年目标与国家县域学前教育普及普惠督导评估标准并列显示，均为按生效期管理的数据，"
            "以统计日期当天有效的版本为准。低于朝阳区目标的数值以红色标出。"
        ),
    ),
    (
        _("报送完整度"),
        _(
            "指标只计正式数据：区教委从统计报表导入的数据、园所已报送（含更正待审核时仍有效的原数据）的数据；"
            "园长未报送的草稿不计入任何指标。应报园所为在办（已取得办园许可或社区办园点）且核定学位数大于 0 的"
            "幼儿园；本学年尚无正式数据的园所列为“未报送”，不按 0 名幼儿计算。每个指标旁显示已报园所数 ÷ "
            "应报园所数，以及已报园所核定学位占应报园所核定学位的比例，并链接到未报送园所名单；快照保存计算时的完整度。"
        ),
    ),
    (
        _("暂定"),
        _("区教委锁定该学年数据之前，依该学年数据计算的指标均为暂定值，可能随园所报送和更正而变化。"),
    ),
)


def definitions() -> list[tuple[str, str]]:
    """(term, definition) pairs for the dashboard's help and the report's last page."""
    indicator_terms = [(d.label, d.definition) for d in registry.definitions()]
    return [
        *GENERAL_TERMS,
        *indicator_terms,
        (_("分母为零"), ZERO_DENOMINATOR_HELP),
        (_("学位需求预测"), FORECAST_METHOD_HELP),
    ]
