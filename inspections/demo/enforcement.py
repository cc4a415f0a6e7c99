"""Demo data of conduct inspections and enforcement, called by `inspections.demo.seed`.

About fifteen rectification orders (open, overdue, rectified after follow-ups, penalised; some
for the demo director's kindergarten and the demo inspector's), a case for every registry
kindergarten whose licence status is unlicensed plus a few closed or converted ones, and eight
conduct cases, half closed. Everything goes through `inspections.services.enforcement`.
Deterministic for a given generator and registry; idempotent.
"""

from __future__ import annotations

import datetime
import random

from accounts.choices import Role
from accounts.models import User
from kindergartens.choices import LicenceStatus
from kindergartens.models import Kindergarten, Subdistrict

from ..models import ConductCase, RectificationOrder, UnlicensedCase
from ..services import enforcement
from .common import DIRECTOR_LOGIN, INSPECTOR_LOGIN
from .order_answers import seed_order_answers

ORDER_FINDINGS = {
    "dangerous_building": "检查发现园舍部分墙体开裂，经鉴定为 C 级危房，存在安全隐患。",
    "three_defences": "“三防”建设不达标：视频监控存在盲区，一键报警装置未接入属地派出所。",
    "unqualified_principal": "园长未取得幼儿园园长任职资格培训合格证书。",
    "unqualified_teacher": "2 名带班教师未取得幼儿园教师资格证。",
    "other": "超核定学位数招生，部分班级超班额。",
}
FOLLOW_UP_NOTES = ("已制定整改方案，正在落实，尚未整改到位。", "复查发现问题仍未解决，再次督促。")
RECTIFIED_NOTE = "复查确认已整改到位，相关材料已归档。"
UNLICENSED_NOTES = ("接群众举报后现场核查，确认无办园许可。", "街道联合执法检查中发现。")
RESOLVED_UNLICENSED = (
    # name, sub-district, operator, children, final status
    ("小太阳看护点", "望京", "个人", 18, "closed"),
    ("彩虹亲子乐园", "双井", "某文化传播公司", 25, "converted"),
    ("蒲公英托管班", "劲松", "个人", 12, "closed"),
    ("童心家庭园", "潘家园", "个人", 9, "closed"),
)
CONDUCT_CASES = (
    # kind, sub-district (training institutions) or None (a kindergarten), institution, description, outcome
    (
        "training_institution",
        "望京",
        "启智少儿培训中心",
        "以“幼小衔接班”名义招收 4–5 岁幼儿全日制托管，教授小学课程内容。",
        "责令停止招收学龄前儿童，已清退幼儿 23 名。",
    ),
    ("training_institution", "双井", "小博士英语学校", "开设全日制“学前班”，招收 5 岁幼儿。", ""),
    ("training_institution", "劲松", "乐学艺术培训", "周末以外时段开设全日制幼儿班。", "已整改，停止全日制幼儿班。"),
    (
        "corporal_punishment",
        None,
        "",
        "家长反映一名教师午睡时以罚站方式惩罚幼儿（变相体罚）。",
        "涉事教师停职检查，园所全园通报并开展师德专题培训。",
    ),
    ("corporal_punishment", None, "", "监控显示保育员拉扯幼儿手臂。", ""),
    ("ethics", None, "", "教师收受家长礼品。", "退还礼品，涉事教师年度考核不合格。"),
    ("ethics", None, "", "教师在家长群发表不当言论。", ""),
    ("corporal_punishment", None, "", "家长投诉教师对幼儿言语恐吓。", ""),
)


def _enforcement_users(bureau: User) -> tuple[User, User | None]:
    inspector = User.objects.filter(username=INSPECTOR_LOGIN, role=Role.INSPECTOR, is_active=True).first()
    return bureau, inspector


def _seed_orders(rng: random.Random, bureau: User, inspector: User | None, today: datetime.date) -> int:
    operating = list(Kindergarten.objects.operating().order_by("code"))
    if not operating:
        return 0
    chosen: list[Kindergarten] = []
    # The demo director and the demo inspector each have something to see.
    director = User.objects.filter(username=DIRECTOR_LOGIN, role=Role.DIRECTOR).first()
    if director is not None and director.kindergarten is not None:
        chosen.append(director.kindergarten)
    if inspector is not None:
        chosen += list(inspector.assigned_kindergartens.order_by("code")[:4])
    rest = [k for k in operating if k not in chosen]
    chosen += rng.sample(rest, min(len(rest), 15 - len(chosen)))
    reasons = list(ORDER_FINDINGS)
    # outcome per order: 5 open in time, 4 overdue, 4 rectified after follow-ups, 2 penalised
    outcomes = ["open"] * 5 + ["overdue"] * 4 + ["rectified"] * 4 + ["penalised"] * 2
    created = 0
    for n, (kindergarten, outcome) in enumerate(zip(chosen, outcomes, strict=False)):
        reason = reasons[n % len(reasons)]
        assigned = inspector is not None and inspector.assigned_kindergartens.filter(pk=kindergarten.pk).exists()
        user = inspector if assigned else bureau
        if outcome == "open":
            issued = today - datetime.timedelta(days=rng.randint(3, 20))
            deadline = today + datetime.timedelta(days=rng.randint(10, 60))
        else:
            issued = today - datetime.timedelta(days=rng.randint(70, 150))
            deadline = issued + datetime.timedelta(days=rng.choice((30, 45, 60)))
        order = enforcement.order_issue(
            kindergarten=kindergarten,
            user=user,
            reason=reason,
            description=ORDER_FINDINGS[reason],
            issued_on=issued,
            deadline=deadline,
        )
        created += 1
        if outcome == "open":
            continue
        first_visit = min(deadline, today - datetime.timedelta(days=2))
        enforcement.order_follow_up(
            order=order,
            user=user,
            visited_on=first_visit - datetime.timedelta(days=5),
            note=rng.choice(FOLLOW_UP_NOTES),
        )
        if outcome == "rectified":
            enforcement.order_follow_up(
                order=order, user=user, visited_on=first_visit, note=RECTIFIED_NOTE, rectified=True
            )
        elif outcome == "penalised":
            enforcement.order_penalise(
                order=order,
                user=bureau,
                penalty_kind=rng.choice(("warning", "fine", "stop_enrolment")),
                penalty_note="逾期未整改，依据《北京市学前教育条例》予以处罚。",
                penalised_on=min(deadline + datetime.timedelta(days=7), today),
            )
    return created


def _seed_unlicensed(rng: random.Random, bureau: User, today: datetime.date) -> int:
    created = 0
    known = set(UnlicensedCase.objects.exclude(kindergarten=None).values_list("kindergarten_id", flat=True))
    unlicensed = Kindergarten.objects.filter(licence_status=LicenceStatus.UNLICENSED).order_by("code")
    for n, kindergarten in enumerate(unlicensed):
        if kindergarten.pk in known:
            continue
        discovered = today - datetime.timedelta(days=rng.randint(20, 200))
        case = enforcement.unlicensed_case_create(
            user=bureau,
            subdistrict=kindergarten.subdistrict,
            kindergarten=kindergarten,
            name=kindergarten.name,
            address=kindergarten.address,
            operator="",
            children=rng.randint(15, 60),
            discovered_on=discovered,
            note=rng.choice(UNLICENSED_NOTES),
        )
        created += 1
        if n % 3 == 2:
            continue  # still only discovered
        status = "ordered_to_close" if n % 3 == 0 else "ordered_to_convert"
        ordered = min(discovered + datetime.timedelta(days=rng.randint(5, 20)), today)
        enforcement.unlicensed_case_transition(
            case=case, user=bureau, status=status, on=ordered, note="已下达责令通知书。"
        )
    if not UnlicensedCase.objects.filter(kindergarten=None).exists():
        for name, area, operator, children, final in RESOLVED_UNLICENSED:
            subdistrict = Subdistrict.objects.filter(name=area).first()
            if subdistrict is None:
                continue
            discovered = today - datetime.timedelta(days=rng.randint(200, 400))
            case = enforcement.unlicensed_case_create(
                user=bureau,
                subdistrict=subdistrict,
                name=f"{area}{name}",
                operator=operator,
                children=children,
                discovered_on=discovered,
                note=UNLICENSED_NOTES[0],
            )
            ordered = discovered + datetime.timedelta(days=10)
            order_status = "ordered_to_close" if final == "closed" else "ordered_to_convert"
            enforcement.unlicensed_case_transition(case=case, user=bureau, status=order_status, on=ordered)
            done_note = "已关停，幼儿已妥善分流。" if final == "closed" else "已取得办园许可，转为合规幼儿园。"
            enforcement.unlicensed_case_transition(
                case=case, user=bureau, status=final, on=ordered + datetime.timedelta(days=45), note=done_note
            )
            created += 1
    return created


def _seed_conduct(rng: random.Random, bureau: User, today: datetime.date) -> int:
    if ConductCase.objects.exists():
        return 0
    operating = list(Kindergarten.objects.operating().select_related("subdistrict").order_by("code"))
    if not operating:
        return 0
    created = 0
    for kind, area, institution, description, outcome in CONDUCT_CASES:
        kindergarten = None if area else rng.choice(operating)
        subdistrict = kindergarten.subdistrict if kindergarten else Subdistrict.objects.filter(name=area).first()
        if subdistrict is None:
            continue
        reported = today - datetime.timedelta(days=rng.randint(10, 120))
        case = enforcement.conduct_case_create(
            user=bureau,
            kind=kind,
            subdistrict=subdistrict,
            kindergarten=kindergarten,
            institution_name=institution,
            reported_on=reported,
            description=description,
        )
        created += 1
        if outcome:
            enforcement.conduct_case_close(
                case=case, user=bureau, outcome=outcome, closed_on=min(reported + datetime.timedelta(days=20), today)
            )
    return created


def seed_enforcement(rng: random.Random, bureau: User, today: datetime.date) -> str:
    """Rectification orders in every state, unlicensed kindergartens' cases (one for each registry
    kindergarten without a licence, plus a few closed or converted) and conduct cases.

    Deterministic for a given `rng` and registry; idempotent: orders and conduct cases are made
    only when there are none, a case only for an unlicensed kindergarten that has none."""
    base = rng.getrandbits(32)

    def part(name: str) -> random.Random:
        # One generator per part, so a new unlicensed kindergarten does not reshuffle the rest.
        return random.Random(f"enforcement:{base}:{name}")

    bureau, inspector = _enforcement_users(bureau)
    orders = 0 if RectificationOrder.objects.exists() else _seed_orders(part("orders"), bureau, inspector, today)
    seed_order_answers(bureau)
    cases = _seed_unlicensed(part("unlicensed"), bureau, today)
    conduct = _seed_conduct(part("conduct"), bureau, today)
    return f"整改通知 {orders} 份，无证园案件 {cases} 件，违规办学与师德案件 {conduct} 件"
