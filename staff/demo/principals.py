"""Demo principals: a principal in post at every operating demo kindergarten (when none is there
yet), certificates with a few gaps, stage histories, some reserve cadres, a course catalogue
and training records so that most principals met last year's credit requirement and some did not."""

from __future__ import annotations

import datetime
import random

from simple_history.utils import bulk_create_with_history

from kindergartens.models import Kindergarten

from .. import identity
from ..choices import (
    PRINCIPAL_ROLES,
    CareerStage,
    CertificateKind,
    Education,
    Establishment,
    Gender,
    StaffRole,
    TrainingLevel,
    TrainingMode,
    TrainingSource,
)
from ..models import CareerStageRecord, Certificate, Course, Person, StaffMember, TrainingRecord

CHANGE_REASON = "演示数据"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = [
    "丽",
    "静",
    "敏",
    "燕",
    "艳",
    "娟",
    "霞",
    "芳",
    "红",
    "玲",
    "婷",
    "雪",
    "慧",
    "颖",
    "琳",
    "洁",
    "晶",
    "蕾",
    "欣",
    "悦",
]
COURSES = [  # title, hours, credits, level, mode, month, for principals
    ("新任园长任职资格培训", 40, 10, TrainingLevel.DISTRICT, TrainingMode.OFFLINE, 3, True),
    ("园长课程领导力研修", 24, 6, TrainingLevel.DISTRICT, TrainingMode.OFFLINE, 4, True),
    ("幼儿园安全管理与应急处置", 12, 3, TrainingLevel.DISTRICT, TrainingMode.ONLINE, 5, True),
    ("《保育教育质量评估指南》解读", 8, 2, TrainingLevel.DISTRICT, TrainingMode.ONLINE, 6, True),
    ("幼小衔接实践研讨", 6, 2, TrainingLevel.CLUSTER, TrainingMode.OFFLINE, 9, True),
    ("师德师风专题培训", 6, 2, TrainingLevel.DISTRICT, TrainingMode.ONLINE, 10, True),
    ("游戏观察与支持", 16, 0, TrainingLevel.CLUSTER, TrainingMode.OFFLINE, 10, False),
    ("园本教研：一日生活环节", 8, 0, TrainingLevel.KINDERGARTEN, TrainingMode.OFFLINE, 11, False),
]


def demo_number(n: int, rng: random.Random) -> str:
    # Region 110108 keeps these apart from the registry's own demo people.
    first17 = f"110108{rng.randint(1970, 1995)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{n % 1000:03d}"
    return first17 + identity.check_digit(first17)


def new_person(rng: random.Random, n: int) -> Person | None:
    number = demo_number(n, rng)
    if Person.objects.filter(id_hash=identity.id_hash(number)).exists():
        return None
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.5 else "")
    return Person(
        name=name,
        gender=Gender.FEMALE if rng.random() < 0.93 else Gender.MALE,
        education=Education.BACHELOR,
        **identity.protected(number),
    )


def _people(rng, kindergartens, role, hired_on) -> list[StaffMember]:
    """A new person in `role` at each kindergarten; returns the new posts."""
    people, posts = [], []
    for index, kg in enumerate(kindergartens):
        person = new_person(rng, index + (500 if role != StaffRole.PRINCIPAL else 0))
        if person is None:
            continue
        people.append(person)
        posts.append(
            StaffMember(
                person=person,
                kindergarten=kg,
                role=role,
                establishment=Establishment.ESTABLISHED,
                hired_on=hired_on(kg),
            )
        )
    bulk_create_with_history(people, Person, default_change_reason=CHANGE_REASON)
    for post in posts:
        post.person_id = post.person.pk
    bulk_create_with_history(posts, StaffMember, default_change_reason=CHANGE_REASON)
    return posts


def _certificates(rng, posts, today) -> None:
    rows = []
    principal_ids = set(
        StaffMember.objects.filter(pk__in=[p.pk for p in posts], role__in=PRINCIPAL_ROLES).values_list("pk", flat=True)
    )
    for i, post in enumerate(posts):
        if rng.random() < 0.97:
            rows.append(
                Certificate(
                    person=post.person,
                    kind=CertificateKind.TEACHER,
                    number=f"DEMO-T{post.pk:06d}",
                    issued_on=datetime.date(2008, 7, 1),
                )
            )
        if post.pk in principal_ids and rng.random() < 0.9:
            issued = min(post.hired_on - datetime.timedelta(days=30), today)
            rows.append(
                Certificate(
                    person=post.person, kind=CertificateKind.PRINCIPAL, number=f"DEMO-P{post.pk:06d}", issued_on=issued
                )
            )
        if i % 37 == 5 and rows:  # a few expired principal certificates
            rows[-1].expires_on = today - datetime.timedelta(days=60)
    bulk_create_with_history(rows, Certificate, default_change_reason=CHANGE_REASON)


def _stages(rng, posts, reserves) -> None:
    rows = []
    for post in posts:
        hired = post.hired_on
        if hired.year >= 2021:
            rows.append(
                CareerStageRecord(
                    person=post.person, kindergarten=post.kindergarten, stage=CareerStage.NEW, since=hired
                )
            )
            continue
        rows.append(
            CareerStageRecord(
                person=post.person, kindergarten=post.kindergarten, stage=CareerStage.GROWING, since=hired
            )
        )
        later = rng.choice([CareerStage.MATURE, CareerStage.MATURE, CareerStage.EXPERT, None])
        if later and hired.year + 2 <= 2023:
            rows.append(
                CareerStageRecord(
                    person=post.person,
                    kindergarten=post.kindergarten,
                    stage=later,
                    since=datetime.date(rng.randint(max(hired.year + 2, 2016), 2023), 9, 1),
                )
            )
    for post in reserves:
        rows.append(
            CareerStageRecord(
                person=post.person,
                kindergarten=post.kindergarten,
                stage=CareerStage.RESERVE,
                since=datetime.date(rng.randint(2021, 2025), 3, 1),
                note="区级后备干部",
            )
        )
    bulk_create_with_history(rows, CareerStageRecord, default_change_reason=CHANGE_REASON)


def _courses(today: datetime.date) -> list[Course]:
    rows = []
    for year in (today.year - 1, today.year):
        for title, hours, credits, level, mode, month, principals in COURSES:
            start = datetime.date(year, month, 10)
            if start > today:
                continue
            rows.append(
                Course(
                    title=f"{year}年{title}",
                    hours=hours,
                    credits=credits,
                    level=level,
                    mode=mode,
                    starts_on=start,
                    ends_on=start + datetime.timedelta(days=2),
                    organiser="朝阳区教育委员会",
                    for_principals=principals,
                )
            )
    return bulk_create_with_history(rows, Course, default_change_reason=CHANGE_REASON)


def _attendance(rng, posts, courses) -> int:
    rows = []
    for post in posts:
        keen = rng.random() > 0.15  # about one principal in seven falls behind
        for course in courses:
            if course.for_principals and (keen or rng.random() < 0.3) and rng.random() < 0.85:
                rows.append(
                    TrainingRecord(
                        person=post.person,
                        kindergarten=post.kindergarten,
                        course=course,
                        title=course.title,
                        attended_on=course.starts_on,
                        hours=course.hours,
                        credits=course.credits,
                        level=course.level,
                        mode=course.mode,
                        source=TrainingSource.INDIVIDUAL,
                    )
                )
    bulk_create_with_history(rows, TrainingRecord, default_change_reason=CHANGE_REASON)
    return len(rows)


def seed_principals(rng: random.Random, demo: list[Kindergarten], today: datetime.date) -> str:
    """Principals where a demo kindergarten has none; the rest only while no course exists (idempotent)."""
    staffed = set(StaffMember.objects.current().filter(role=StaffRole.PRINCIPAL).values_list("kindergarten", flat=True))
    missing = [kg for kg in demo if kg.pk not in staffed]

    def hired_on(kg) -> datetime.date:
        return datetime.date(rng.randint(2008, min(today.year, 2025)), rng.choice((3, 9)), 1)

    new = _people(rng, missing, StaffRole.PRINCIPAL, hired_on)
    reserves = []
    if not CareerStageRecord.objects.filter(stage=CareerStage.RESERVE).exists():
        sample = rng.sample(demo, min(30, len(demo)))
        reserves = _people(rng, sample, StaffRole.TEACHER, lambda kg: datetime.date(2015, 9, 1))
    _certificates(rng, new + reserves, today)
    _stages(rng, new, reserves)
    if Course.objects.exists():
        return f"园长 {len(new)} 名，后备干部 {len(reserves)} 名"
    courses = _courses(today)
    principals = list(StaffMember.objects.current().filter(role__in=PRINCIPAL_ROLES).select_related("person"))
    records = _attendance(rng, principals, courses)
    return f"园长 {len(new)} 名，后备干部 {len(reserves)} 名，培训课程 {len(courses)} 门，培训记录 {records} 条"
