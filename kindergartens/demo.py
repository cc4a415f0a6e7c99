"""Demo data for the registry: Chaoyang's kindergartens and community points, and one user per role.

`manage.py seed_demo` calls `seed(rng)` here first (kindergartens come before every app that
hangs data off them). The scale and mix follow docs/domain.md §8 and MISSION.md: about 400
kindergartens and community childcare points across all 43 sub-districts, more where people
live (望京, 来广营, 十八里店 …); a little over half public, mostly run by the education bureau;
about two thirds of the private ones recognised as inclusive, some of those recognitions expired;
village centre kindergartens in the area offices; branch campuses of bureau kindergartens in
areas short of places; residential-estate kindergartens at every stage, some with a "not in
place" failure; a handful of unlicensed kindergartens; and about ten names that break the
naming rules, so every page and report has something real to show.

Deterministic: the same `random.Random` seed and the same `today` produce the same rows.
Idempotent: rows are keyed by their `DEMO-` code; codes already present are left alone (they
may have been edited while trying the portal out) and only missing ones are created.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.demo import seed_users

from .choices import (
    PUBLIC_SPONSORS,
    EstateStage,
    InclusiveStatus,
    LicenceStatus,
    SponsorType,
    SubdistrictKind,
)
from .demo_estates import seed_estates
from .models import Kindergarten, Subdistrict
from .naming import Rules, apply_check, core_name, refresh_name_compliance

DEMO_CODE_PREFIX = "DEMO-"
CHANGE_REASON = "演示数据"

# Chaoyang's bounding box (domain: lat 39.82–40.10, lon 116.40–116.65); points are clamped inside.
LAT_RANGE = (39.822, 40.098)
LON_RANGE = (116.402, 116.648)

# name: (kindergartens excluding community points, (lat, lon) of the area's centre, local place names).
# Counts follow where families live: the big residential areas in the north-east and south-east
# have the most kindergartens, the CBD and the airport the fewest.
SUBDISTRICTS: dict[str, tuple[int, tuple[float, float], tuple[str, ...]]] = {
    "建外": (5, (39.908, 116.455), ("永安里", "光华里", "秀水", "北郎家园", "建国里")),
    "朝外": (5, (39.922, 116.440), ("吉祥里", "雅宝路", "芳草地", "日坛", "神路街")),
    "呼家楼": (6, (39.922, 116.462), ("呼家楼", "金台里", "核桃园", "关东店", "东大桥", "新源西里")),
    "三里屯": (4, (39.935, 116.455), ("三里屯", "幸福村", "中纺里", "白家庄")),
    "左家庄": (8, (39.955, 116.440), ("左家庄", "顺源里", "静安里", "曙光里", "新源里", "三源里", "西坝河")),
    "香河园": (7, (39.960, 116.430), ("香河园", "光熙门", "柳芳", "北光熙", "西坝河东里", "尚家楼")),
    "和平街": (8, (39.965, 116.420), ("和平街", "樱花园", "胜古", "小黄庄", "和平东街", "和平西苑")),
    "安贞": (9, (39.972, 116.408), ("安贞", "安华", "安苑", "外馆", "裕民路", "华侨村")),
    "亚运村": (13, (39.990, 116.412), ("安慧里", "华严北里", "京民", "北辰东路", "慧忠里", "小营", "惠新西街")),
    "小关": (8, (39.980, 116.425), ("小关", "惠新东街", "惠新里", "小关北里", "育慧里", "惠新苑")),
    "酒仙桥": (9, (39.970, 116.492), ("酒仙桥", "万红西街", "电子城", "大山子", "高家园", "驼房营")),
    "麦子店": (4, (39.950, 116.468), ("麦子店", "枣营", "农展馆", "亮马桥")),
    "团结湖": (4, (39.930, 116.468), ("团结湖", "水碓子", "南北里", "农展南里")),
    "六里屯": (7, (39.925, 116.487), ("六里屯", "甜水园", "碧水园", "秀水园", "炫特家园")),
    "八里庄": (8, (39.918, 116.500), ("八里庄", "红领巾", "十里堡", "延静里", "朝阳路")),
    "双井": (14, (39.893, 116.460), ("双井", "九龙", "富力城", "光辉里", "广和里", "垂杨柳", "广渠路")),
    "劲松": (13, (39.882, 116.465), ("劲松", "农光里", "和谐雅园", "八棵杨", "西大望路", "磨房南里")),
    "潘家园": (13, (39.872, 116.460), ("潘家园", "华威", "松榆里", "武圣", "磨房北里", "弘善")),
    "垡头": (8, (39.862, 116.520), ("垡头", "翠城", "双合", "焦化路", "垡头西里")),
    "大屯": (15, (40.005, 116.415), ("大屯", "安慧北里", "嘉铭园", "金泉", "风林绿洲", "慧忠北里", "北辰绿色")),
    "望京": (26, (39.995, 116.475), ("花家地", "南湖", "利泽", "阜通", "望花路", "宝星", "方舟苑", "大西洋新城")),
    "奥运村": (12, (40.012, 116.405), ("龙祥", "科学园", "南沙滩", "林萃", "国奥", "北辰西路")),
    "东湖": (7, (40.005, 116.468), ("东湖", "望京东园", "利泽西园", "康都", "湖光")),
    "首都机场": (3, (40.072, 116.595), ("南平里", "西平街", "机场南路")),
    "南磨房": (12, (39.885, 116.490), ("南磨房", "平乐园", "百子湾", "大郊亭", "双龙", "欢乐谷")),
    "高碑店": (10, (39.905, 116.525), ("高碑店", "兴隆", "西店", "北花园", "通惠")),
    "将台": (6, (39.975, 116.505), ("将台", "芳园里", "丽都", "洛娃", "驼房营南")),
    "太阳宫": (7, (39.970, 116.445), ("太阳宫", "芍药居", "夏家园", "西坝河北", "太阳星城")),
    "小红门": (7, (39.842, 116.470), ("小红门", "鸿博", "龙爪树", "牌坊", "肖村")),
    "十八里店": (15, (39.850, 116.505), ("十八里店", "吕家营", "周家庄", "小武基", "西直河", "老君堂", "十里河")),
    "平房": (11, (39.935, 116.555), ("平房", "青年路", "姚家园", "黄渠", "石各庄")),
    "东风": (6, (39.950, 116.488), ("东风", "将府", "辛庄", "南十里居", "星火")),
    "来广营": (16, (40.030, 116.450), ("来广营", "北苑", "清河营", "立水桥", "红军营", "朝来", "广顺", "北苑家园")),
    "常营": (10, (39.930, 116.600), ("常营", "连心园", "常通路", "民族家园", "常营北路")),
    "三间房": (10, (39.910, 116.580), ("三间房", "定福庄", "褡裢坡", "聚福苑", "艺水芳园")),
    "管庄": (9, (39.905, 116.615), ("管庄", "杨闸", "双桥", "重兴", "柳巷")),
    "金盏": (8, (39.990, 116.590), ("金盏", "楼梓庄", "马各庄", "长店", "黎各庄", "东窑")),
    "孙河": (6, (40.045, 116.535), ("孙河", "康营", "雷桥", "上辛堡", "西甸")),
    "崔各庄": (9, (40.020, 116.510), ("崔各庄", "费家村", "南皋", "何各庄", "东辛店", "奶子房")),
    "东坝": (10, (39.975, 116.555), ("东坝", "单店", "驹子房", "东晓景", "坝河")),
    "黑庄户": (5, (39.855, 116.600), ("黑庄户", "双树", "万子营", "苏家坨", "郎各庄")),
    "豆各庄": (6, (39.865, 116.560), ("豆各庄", "于家围", "水牛房", "黄厂", "马家湾")),
    "王四营": (5, (39.860, 116.532), ("王四营", "官庄", "白鹿", "孛罗营", "道口")),
}

COMMUNITY_POINTS = 30
UNLICENSED = 6
VILLAGE_CENTRES = 12
BRANCHES = 12
PUBLIC_SHARE = 0.55  # of licensed kindergartens
INCLUSIVE_SHARE_OF_PRIVATE = 0.70  # puts district inclusive coverage just under the 90 % target
INTERNATIONAL = 6

# Public sponsors other than village centre kindergartens, with relative weights: the
# education bureau runs most public kindergartens (MISSION: 加大普惠资源供给).
PUBLIC_SPONSOR_WEIGHTS = (
    (SponsorType.EDUCATION_BUREAU, 72),
    (SponsorType.GOVERNMENT_ORGAN, 7),
    (SponsorType.STATE_ENTERPRISE, 8),
    (SponsorType.ARMY, 3),
    (SponsorType.SUBDISTRICT, 5),
    (SponsorType.VILLAGE_COLLECTIVE, 5),
)

BRANDS = (
    "小太阳", "童心", "七色花", "彩虹", "启明星", "小天使", "金色摇篮", "爱心", "阳光宝贝", "快乐童年",
    "新苗", "春芽", "蓓蕾", "育苗", "未来星", "智慧树", "小橡树", "绿苗", "童趣", "星星河", "小海豚",
    "向日葵", "小蜜蜂", "雏鹰", "乐乐", "贝贝", "嘉禾", "朝露", "晨光", "花蕾", "百合", "蒲公英",
)  # fmt: skip
ENTERPRISES = ("城建", "京能", "首开", "北辰", "燃气", "京棉", "电控", "首旅", "住总", "金隅")
ARMY_FORMATS = ("北京卫戍区{}幼儿园", "武警北京总队{}幼儿园", "空军{}蓝天幼儿园")
ESTATE_SUFFIXES = ("家园", "嘉园", "新城", "佳苑", "雅苑", "花园", "华府")
STREET_SUFFIXES = ("路", "东里", "西里", "北里", "南里", "小区", "街")
# Estate sections: no place name ends like this, so a point never shares a public kindergarten's core name.
COMMUNITY_SUFFIXES = ("东区", "西区", "南区", "北区", "中区", "一区", "二区", "三区")
# Places that already name an estate or a lane take a phase instead of another estate word.
ESTATE_ENDINGS = tuple("里园城苑洲府")
ESTATE_PHASES = ("二期", "三期", "北区", "南区")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "丽静敏燕艳娟霞红芳玲华婷雪慧颖洁琳萍梅晶欣悦宁晓春秀雅倩蕾璐"

# Names that break the naming rules (domain.md §5), one or more per category; `{}` is a local
# place name. The public-name reuse case is built separately from a real public kindergarten.
BAD_NAME_FORMATS = (
    "北京市朝阳区{}ABC幼儿园",  # foreign word (Latin letters)
    "北京市朝阳区{}双语幼儿园",  # one-sided curriculum claim
    "北京市朝阳区{}国际幼儿园",  # implies international scope
    "北京市朝阳区剑桥{}幼儿园",  # foreign place name
    "北京市朝阳区{}蒙台梭利幼儿园",  # curriculum claim
    "北京市朝阳区{}佛慧幼儿园",  # religious connotation
    "北京市朝阳区{}国学幼儿园",  # curriculum claim
    "北京市朝阳区{}艺术幼儿园",  # curriculum claim
    "北京市朝阳区{}实验幼儿园",  # "experimental" is reserved for public kindergartens
)
UNLICENSED_BAD_NAME_FORMAT = "{}Little Star幼儿园"


@dataclass
class _Slot:
    """One kindergarten being planned: its place, what it is, and the row it becomes."""

    subdistrict: Subdistrict
    kind: str
    row: Kindergarten | None = None
    branch_of_code: str = ""


class _Namer:
    """Hands out unique names and place names, cycling through each sub-district's places."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.next_place: dict[str, int] = {}

    def place(self, subdistrict: str) -> str:
        places = SUBDISTRICTS[subdistrict][2]
        index = self.next_place.get(subdistrict, 0)
        self.next_place[subdistrict] = index + 1
        return places[index % len(places)]

    def unique(self, candidates: Iterable[str]) -> str:
        for name in candidates:
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("demo name candidates exhausted")  # a bug in the tables above, not bad input

    def public(self, subdistrict: str, fmt: str = "北京市朝阳区{}幼儿园") -> str:
        places = SUBDISTRICTS[subdistrict][2]
        ordinals = ("", "第二", "第三", "第四", "第五")
        start = self.next_place.get(subdistrict, 0)
        self.next_place[subdistrict] = start + 1
        rotated = places[start % len(places) :] + places[: start % len(places)]
        return self.unique(fmt.format(p + o) for o in ordinals for p in rotated)

    def private(self, subdistrict: str, prefix: str = "北京市朝阳区") -> str:
        place = self.place(subdistrict)
        brands = list(BRANDS)
        self.rng.shuffle(brands)
        return self.unique(f"{prefix}{place}{b}幼儿园" for b in brands)


def _allocate(rng: random.Random, subdistricts: dict[str, Subdistrict]) -> list[_Slot]:
    """Decides what each kindergarten is, with exact totals for the mix (see module docstring)."""
    slots = [_Slot(subdistricts[name], "") for name, (count, _c, _p) in SUBDISTRICTS.items() for _ in range(count)]
    areas = [name for name, sd in subdistricts.items() if sd.kind == SubdistrictKind.AREA]
    for name in rng.sample(sorted(areas), VILLAGE_CENTRES):
        next(s for s in slots if s.subdistrict.name == name).kind = "village_centre"

    rest = [s for s in slots if not s.kind]
    licensed = len(slots) - UNLICENSED - 2
    public = round(licensed * PUBLIC_SHARE) - VILLAGE_CENTRES
    private = licensed - VILLAGE_CENTRES - public
    inclusive = round(private * INCLUSIVE_SHARE_OF_PRIVATE)
    kinds = ["unlicensed"] * UNLICENSED + ["suspended", "closed"]
    sponsors, weights = zip(*PUBLIC_SPONSOR_WEIGHTS, strict=True)
    kinds += rng.choices(sponsors, weights=weights, k=public)
    kinds += ["inclusive_private"] * inclusive
    non_inclusive = private - inclusive
    kinds += ["nonprofit_private"] * (non_inclusive // 2) + ["forprofit_private"] * (non_inclusive - non_inclusive // 2)
    rng.shuffle(kinds)
    for slot, kind in zip(rest, kinds, strict=True):
        # Village collectives exist only in the area offices (地区/乡); elsewhere the bureau runs it.
        if kind == SponsorType.VILLAGE_COLLECTIVE and slot.subdistrict.kind != SubdistrictKind.AREA:
            kind = SponsorType.EDUCATION_BUREAU
        slot.kind = kind

    # Branch campuses: bureau kindergartens opening a site in an area office short of places.
    area_bureau = [s for s in slots if s.kind == SponsorType.EDUCATION_BUREAU and s.subdistrict.name in areas]
    for slot in rng.sample(area_bureau, BRANCHES):
        slot.kind = "branch"
    return slots


def _coordinates(rng: random.Random, subdistrict: str) -> tuple[Decimal, Decimal]:
    lat, lon = SUBDISTRICTS[subdistrict][1]
    lat = min(max(lat + rng.uniform(-0.012, 0.012), LAT_RANGE[0]), LAT_RANGE[1])
    lon = min(max(lon + rng.uniform(-0.012, 0.012), LON_RANGE[0]), LON_RANGE[1])
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return f"010-{rng.choice('68')}{rng.randrange(10_000_000):07d}"


def _address(rng: random.Random, place: str) -> str:
    if place.endswith(ESTATE_ENDINGS):
        return f"北京市朝阳区{place}{rng.randint(1, 30)}号楼"
    return f"北京市朝阳区{place}{rng.choice(STREET_SUFFIXES)}{rng.randint(1, 60)}号"


def _estate_name(rng: random.Random, namer: _Namer, subdistrict: str) -> str:
    place = namer.place(subdistrict)
    suffixes = ESTATE_PHASES if place.endswith(ESTATE_ENDINGS) else ESTATE_SUFFIXES
    return namer.unique(f"{place}{s}" for s in rng.sample(suffixes, len(suffixes)))


def build_registry(rng: random.Random, subdistricts: dict[str, Subdistrict], today: datetime.date) -> list[_Slot]:
    """Plans every demo kindergarten as an unsaved row; pure apart from the sub-districts passed in."""
    namer = _Namer(rng)
    slots = _allocate(rng, subdistricts)
    sequence: dict[str, int] = {}

    def code_for(sd: Subdistrict) -> str:
        sequence[sd.code] = sequence.get(sd.code, 0) + 1
        return f"{DEMO_CODE_PREFIX}{sd.code[-3:]}{sequence[sd.code]:03d}"

    for slot in slots:
        sd = slot.subdistrict
        place = namer.place(sd.name)
        row = Kindergarten(
            code=code_for(sd),
            subdistrict=sd,
            address=_address(rng, place),
            phone=_phone(rng),
            principal=_person(rng),
            licence_status=LicenceStatus.LICENSED,
            inclusive_status=InclusiveStatus.PUBLIC,
        )
        row.latitude, row.longitude = _coordinates(rng, sd.name)
        kind = slot.kind
        if kind == "village_centre":
            row.sponsor_type = rng.choice((SponsorType.VILLAGE_COLLECTIVE, SponsorType.SUBDISTRICT))
            row.is_village_centre = True
            row.name = namer.unique(
                [f"北京市朝阳区{sd.name}地区中心幼儿园", f"北京市朝阳区{sd.name}地区第二中心幼儿园"]
            )
            row.approved_capacity = rng.randrange(150, 361, 15)
        elif kind in (SponsorType.EDUCATION_BUREAU, "branch"):
            row.sponsor_type = SponsorType.EDUCATION_BUREAU
            row.name = namer.public(sd.name)
            row.approved_capacity = rng.randrange(180, 451, 15) if kind != "branch" else rng.randrange(90, 241, 15)
        elif kind == SponsorType.GOVERNMENT_ORGAN:
            row.sponsor_type = kind
            row.name = namer.public(sd.name, "北京市朝阳区{}机关幼儿园")
            row.approved_capacity = rng.randrange(120, 301, 15)
        elif kind == SponsorType.STATE_ENTERPRISE:
            row.sponsor_type = kind
            row.name = namer.public(sd.name, "北京" + rng.choice(ENTERPRISES) + "{}幼儿园")
            row.approved_capacity = rng.randrange(120, 301, 15)
        elif kind == SponsorType.ARMY:
            row.sponsor_type = kind
            row.name = namer.public(sd.name, rng.choice(ARMY_FORMATS))
            row.approved_capacity = rng.randrange(120, 271, 15)
        elif kind == SponsorType.SUBDISTRICT:
            row.sponsor_type = kind
            office = "街道" if sd.kind == SubdistrictKind.STREET else "地区"
            row.name = namer.public(sd.name, f"北京市朝阳区{sd.name}{office}" + "{}幼儿园")
            row.approved_capacity = rng.randrange(120, 301, 15)
        elif kind == SponsorType.VILLAGE_COLLECTIVE:
            row.sponsor_type = kind
            row.name = namer.public(sd.name, "北京市朝阳区{}村幼儿园")
            row.approved_capacity = rng.randrange(90, 241, 15)
        else:
            row.name = namer.private(sd.name)
            # Recognised inclusive kindergartens are mid-sized; fee-charging boutique ones are small.
            row.approved_capacity = rng.randrange(90, 211, 15)
            row.sponsor_type = SponsorType.PRIVATE_FORPROFIT
            row.inclusive_status = InclusiveStatus.NON_INCLUSIVE_PRIVATE
            if kind in ("inclusive_private", "nonprofit_private"):
                row.sponsor_type = SponsorType.PRIVATE_NONPROFIT
            if kind == "inclusive_private":
                row.inclusive_status = InclusiveStatus.INCLUSIVE_PRIVATE
                row.approved_capacity = rng.randrange(150, 361, 15)
                _recognise(rng, row, today)
            elif kind == "unlicensed":
                row.name = namer.private(sd.name, prefix="")
                row.licence_status = LicenceStatus.UNLICENSED
                row.approved_capacity = 0  # never approved: it has no licence
            elif kind in ("suspended", "closed"):
                row.licence_status = LicenceStatus.SUSPENDED if kind == "suspended" else LicenceStatus.CLOSED
                row.phone = ""
        slot.row = row

    _add_estates(rng, slots, namer, today)
    _add_branches(rng, slots)
    _add_community_points(rng, slots, namer, subdistricts, today, code_for)
    _add_international_and_toddler(rng, slots)
    _break_names(rng, slots, namer)
    return slots


def _recognise(rng: random.Random, row: Kindergarten, today: datetime.date) -> None:
    """Recognitions run three years; those granted more than three years ago have lapsed."""
    row.recognition_date = today - datetime.timedelta(days=rng.randint(30, 3 * 365 + 180))
    row.recognition_expiry = row.recognition_date + datetime.timedelta(days=3 * 365)


def _add_branches(rng: random.Random, slots: list[_Slot]) -> None:
    mains = [
        s
        for s in slots
        if s.kind == SponsorType.EDUCATION_BUREAU
        and s.subdistrict.kind == SubdistrictKind.STREET
        and not s.row.is_estate_kindergarten
        and s.row.approved_capacity >= 270
    ]
    for slot, main in zip([s for s in slots if s.kind == "branch"], rng.sample(mains, BRANCHES), strict=True):
        slot.branch_of_code = main.row.code
        place = SUBDISTRICTS[slot.subdistrict.name][2][0]
        slot.row.name = f"{main.row.name}{place}分园"


def _add_estates(rng: random.Random, slots: list[_Slot], namer: _Namer, today: datetime.date) -> None:
    """About 40 residential-estate kindergartens: most public and in use, some still being built."""
    public = [s for s in slots if s.kind == SponsorType.EDUCATION_BUREAU]
    private = [s for s in slots if s.kind in ("inclusive_private", "nonprofit_private", "forprofit_private")]
    stages = [EstateStage.PLANNING] * 4 + [EstateStage.CONSTRUCTION] * 5 + [EstateStage.HANDOVER] * 5
    stages += [EstateStage.IN_USE] * 20
    for slot, stage in zip(rng.sample(public, len(stages)), stages, strict=True):
        row = slot.row
        row.is_estate_kindergarten = True
        row.estate_stage = stage
        row.estate_name = _estate_name(rng, namer, slot.subdistrict.name)
        row.name = namer.unique([f"北京市朝阳区{row.estate_name}幼儿园", f"北京市朝阳区{row.estate_name}第二幼儿园"])
        if stage != EstateStage.IN_USE:
            # Not open yet: no approved places and nobody to call.
            row.approved_capacity = row.international_seats = 0
            row.phone = row.principal = ""
        elif rng.random() < 0.7:
            # Run for the bureau by another institution under an entrusted-management agreement.
            row.entrusted_management_expiry = today + datetime.timedelta(days=rng.randint(-300, 4 * 365))
    estates = [s.row for s in slots if s.row.is_estate_kindergarten]
    by_stage = {stage: [r for r in estates if r.estate_stage == stage] for stage in EstateStage.values}
    for row in by_stage[EstateStage.PLANNING][:2]:
        row.estate_planning_gap = True
    for row in by_stage[EstateStage.CONSTRUCTION][:2]:
        row.estate_construction_gap = True
    for row in by_stage[EstateStage.HANDOVER][:3]:
        row.estate_handover_gap = True
    for row in by_stage[EstateStage.IN_USE][:2]:
        row.estate_use_gap = True
    # Older estates whose kindergarten the developer handed to a private operator instead.
    for slot in rng.sample(private, 6):
        row = slot.row
        row.is_estate_kindergarten = True
        row.estate_stage = EstateStage.IN_USE
        row.estate_name = _estate_name(rng, namer, slot.subdistrict.name)
        row.estate_handover_gap = True


def _add_community_points(
    rng: random.Random,
    slots: list[_Slot],
    namer: _Namer,
    subdistricts: dict[str, Subdistrict],
    today: datetime.date,
    code_for: Callable[[Subdistrict], str],
) -> None:
    names = list(SUBDISTRICTS)
    weights = [SUBDISTRICTS[n][0] for n in names]
    for name in sorted(rng.choices(names, weights=weights, k=COMMUNITY_POINTS), key=lambda n: subdistricts[n].code):
        sd = subdistricts[name]
        place = namer.place(name)
        row = Kindergarten(
            code=code_for(sd),
            subdistrict=sd,
            name=namer.unique(
                f"朝阳区{place}{s}社区办园点" for s in rng.sample(COMMUNITY_SUFFIXES, len(COMMUNITY_SUFFIXES))
            ),
            address=f"{_address(rng, place)}底商",
            phone=_phone(rng),
            principal=_person(rng),
            licence_status=LicenceStatus.COMMUNITY_POINT,
            approved_capacity=rng.randrange(30, 91, 5),
        )
        row.latitude, row.longitude = _coordinates(rng, name)
        if rng.random() < 0.2:
            row.sponsor_type, row.inclusive_status = SponsorType.SUBDISTRICT, InclusiveStatus.PUBLIC
        else:
            row.sponsor_type, row.inclusive_status = SponsorType.PRIVATE_NONPROFIT, InclusiveStatus.INCLUSIVE_PRIVATE
            _recognise(rng, row, today)
        slots.append(_Slot(sd, "community_point", row))


def _add_international_and_toddler(rng: random.Random, slots: list[_Slot]) -> None:
    candidates = [s.row for s in slots if s.kind == "forprofit_private" and s.row.approved_capacity >= 150]
    for row in rng.sample(candidates, INTERNATIONAL):
        row.international_seats = rng.randrange(30, min(row.approved_capacity, 150) + 1, 10)
    for slot in slots:
        row = slot.row
        open_now = row.licence_status in (LicenceStatus.LICENSED, LicenceStatus.COMMUNITY_POINT)
        row.has_toddler_classes = open_now and row.approved_capacity > 0 and rng.random() < 0.25


def _break_names(rng: random.Random, slots: list[_Slot], namer: _Namer) -> None:
    """About ten names that the naming rules must catch, all on private kindergartens."""
    private = [
        s for s in slots if s.kind in ("nonprofit_private", "forprofit_private") and not s.row.international_seats
    ]
    chosen = rng.sample(private, len(BAD_NAME_FORMATS) + 1)
    for slot, fmt in zip(chosen, BAD_NAME_FORMATS, strict=False):
        slot.row.name = namer.unique(
            [fmt.format(namer.place(slot.subdistrict.name)), fmt.format(slot.subdistrict.name)]
        )
    # A private kindergarten trading on a well-known public kindergarten's name.
    famous = rng.choice(
        [s.row for s in slots if s.kind == SponsorType.EDUCATION_BUREAU and not s.row.is_estate_kindergarten]
    )
    chosen[-1].row.name = namer.unique([f"{famous.name}分部"])
    unlicensed = next(s for s in slots if s.kind == "unlicensed")
    unlicensed.row.name = namer.unique([UNLICENSED_BAD_NAME_FORMAT.format(namer.place(unlicensed.subdistrict.name))])


@transaction.atomic
def seed(rng: random.Random, *, today: datetime.date | None = None) -> str:
    """Creates the demo registry and users that are missing; returns a one-line summary."""
    today = today or timezone.localdate()
    subdistricts = {sd.name: sd for sd in Subdistrict.objects.filter(name__in=SUBDISTRICTS)}
    missing = set(SUBDISTRICTS) - set(subdistricts)
    if missing:
        raise Subdistrict.DoesNotExist(f"sub-districts missing (run migrate first): {', '.join(sorted(missing))}")
    slots = build_registry(rng, subdistricts, today)
    existing = set(Kindergarten.objects.filter(code__startswith=DEMO_CODE_PREFIX).values_list("code", flat=True))
    new = [s for s in slots if s.row.code not in existing]

    # The verdicts are computed before the bulk insert (which skips save()) against every public
    # name, new ones included, so the history's first row already carries the right verdict.
    base = Rules.load()
    new_public_cores = {core_name(s.row.name) for s in new if s.row.sponsor_type in PUBLIC_SPONSORS}
    rules = Rules(words=base.words, public_cores=base.public_cores | {c for c in new_public_cores if len(c) >= 2})
    for slot in new:
        apply_check(slot.row, rules)

    mains = [s.row for s in new if not s.branch_of_code]
    bulk_create_with_history(mains, Kindergarten, batch_size=500, default_change_reason=CHANGE_REASON)
    codes = {s.branch_of_code for s in new if s.branch_of_code}
    main_ids = dict(Kindergarten.objects.filter(code__in=codes).values_list("code", "pk"))
    branches = [s.row for s in new if s.branch_of_code]
    for slot in new:
        if slot.branch_of_code:
            slot.row.branch_of_id = main_ids[slot.branch_of_code]
    bulk_create_with_history(branches, Kindergarten, batch_size=500, default_change_reason=CHANGE_REASON)
    refresh_name_compliance()

    users = seed_users(Kindergarten.objects.filter(code__startswith=DEMO_CODE_PREFIX))
    estates = seed_estates(rng, today=today, prefix=DEMO_CODE_PREFIX)
    return f"幼儿园和社区办园点 {len(slots)} 所（新建 {len(new)} 所），演示账号 {users} 个，{estates}"
