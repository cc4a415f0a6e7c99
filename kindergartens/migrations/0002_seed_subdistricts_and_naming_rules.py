"""Seeds Chaoyang's 43 sub-districts and area offices, and the naming rules' word lists.

Both come from shared/docs/domain.md (§6 and §5). Codes are the statistical code 110105 plus
three digits; a few are uncertain there, so they stay editable data, not constants.
"""

from django.db import migrations

STREETS = [
    ("001", "建外"), ("002", "朝外"), ("003", "呼家楼"), ("004", "三里屯"), ("005", "左家庄"),
    ("006", "香河园"), ("007", "和平街"), ("008", "安贞"), ("009", "亚运村"), ("010", "小关"),
    ("011", "酒仙桥"), ("012", "麦子店"), ("013", "团结湖"), ("014", "六里屯"), ("015", "八里庄"),
    ("016", "双井"), ("017", "劲松"), ("018", "潘家园"), ("019", "垡头"), ("025", "大屯"),
    ("026", "望京"), ("031", "奥运村"), ("043", "东湖"), ("400", "首都机场"),
]  # fmt: skip
AREAS = [
    ("021", "南磨房"), ("022", "高碑店"), ("023", "将台"), ("024", "太阳宫"), ("027", "小红门"),
    ("028", "十八里店"), ("029", "平房"), ("030", "东风"), ("032", "来广营"), ("033", "常营"),
    ("034", "三间房"), ("035", "管庄"), ("036", "金盏"), ("037", "孙河"), ("038", "崔各庄"),
    ("039", "东坝"), ("040", "黑庄户"), ("041", "豆各庄"), ("042", "王四营"),
]  # fmt: skip

SOURCE = "《“十四五”学前教育发展提升行动计划》及各地幼儿园名称规范（示例词表，可编辑）"
NAMING_WORDS = {
    "national_scope": ["中国", "中华", "全国", "国家", "国际", "世界", "全球", "环球"],
    "foreign_place": [
        "美国", "英国", "法国", "德国", "日本", "韩国", "加拿大", "澳洲", "澳大利亚", "新加坡",
        "剑桥", "哈佛", "牛津", "耶鲁", "曼哈顿", "维也纳", "伦敦", "巴黎", "纽约", "硅谷",
    ],
    "curriculum_claim": ["双语", "英语", "外语", "国学", "私塾", "艺术", "蒙台梭利", "蒙氏", "贵族", "精英"],
    "religious": ["基督", "天主", "福音", "佛", "禅", "道观", "清真寺", "教会"],
    "public_school_name": ["实验小学", "附属小学", "附小", "附中", "师大附", "人大附", "北大附", "清华附"],
}  # fmt: skip
PRIVATE_ONLY = {("curriculum_claim", "实验")}


def seed(apps, schema_editor):
    Subdistrict = apps.get_model("kindergartens", "Subdistrict")
    NamingRule = apps.get_model("kindergartens", "NamingRule")
    for kind, rows in (("street", STREETS), ("area", AREAS)):
        for suffix, name in rows:
            Subdistrict.objects.update_or_create(code=f"110105{suffix}", defaults={"name": name, "kind": kind})
    words = [(c, w) for c, ws in NAMING_WORDS.items() for w in ws] + sorted(PRIVATE_ONLY)
    for category, word in words:
        NamingRule.objects.update_or_create(
            category=category,
            word=word,
            defaults={"private_only": (category, word) in PRIVATE_ONLY or category == "public_school_name", "source": SOURCE},
        )


def unseed(apps, schema_editor):
    apps.get_model("kindergartens", "NamingRule").objects.all().delete()
    apps.get_model("kindergartens", "Subdistrict").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("kindergartens", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
