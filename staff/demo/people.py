"""Demo staff: people with made-up (well-formed) ID numbers, their posts and certificates.

Most kindergartens are staffed to the full-day standard (about 1:6 staff to children, care-and-
teaching staff 1:8.5 with at least 2 teachers and a caregiver per class, health staff per 150
children); about one in six has a gap:
caregivers short, a teacher short, no health worker for the second 150 children, a teacher or
deputy without a certificate. Health and security certificates expire on dates spread over two
years, so some expire within 90 days and a few have expired; a few teachers moved from another
demo kindergarten and keep their earlier post as history.
"""

from __future__ import annotations

import datetime
import math
import random

from django.db.models import Count, Sum
from simple_history.utils import bulk_create_with_history

from enrollment.models import SchoolClass, SchoolYear
from kindergartens.models import Kindergarten

from .. import identity
from ..choices import CertificateKind, Education, Establishment, Gender, ProfessionalTitle, StaffRole
from ..models import Certificate, Person, StaffMember
from .common import CHANGE_REASON

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = (
    "丽",
    "静",
    "敏",
    "芳",
    "娜",
    "婷",
    "雪",
    "欣",
    "悦",
    "佳",
    "颖",
    "琳",
    "晨",
    "阳",
    "磊",
    "伟",
    "洋",
    "慧",
    "蕾",
    "楠",
)
GAPS = ("caregivers", "teacher", "health", "uncertified", "deputy_uncertified")
BIRTH_BASE = datetime.date(1962, 1, 1)


def demo_number(index: int) -> str:
    """A well-formed Chaoyang number, unique per index: the birth date encodes index // 1000, the
    sequence index % 1000."""
    birth = BIRTH_BASE + datetime.timedelta(days=(index // 1000) * 300 + (index % 1000) % 300)
    first17 = f"110105{birth:%Y%m%d}{index % 1000:03d}"
    return first17 + identity.check_digit(first17)


class _Builder:
    def __init__(self, rng: random.Random, today: datetime.date) -> None:
        self.rng, self.today = rng, today
        self.people: list[Person] = []
        self.posts: list[StaffMember] = []
        self.certificates: list[Certificate] = []

    def person(self, index: int, role: str) -> Person:
        rng = self.rng
        number = demo_number(index)
        teacherly = role in (StaffRole.TEACHER, StaffRole.PRINCIPAL, StaffRole.DEPUTY_PRINCIPAL)
        person = Person(
            name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
            gender=Gender.MALE if role == StaffRole.SECURITY or rng.random() < 0.04 else Gender.FEMALE,
            birth_date=datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
            education=rng.choice((Education.BACHELOR, Education.BACHELOR, Education.ASSOCIATE, Education.POSTGRADUATE))
            if teacherly
            else rng.choice((Education.SECONDARY, Education.ASSOCIATE, Education.BELOW)),
            professional_title=rng.choice(
                (ProfessionalTitle.SECOND, ProfessionalTitle.FIRST, ProfessionalTitle.THIRD, ProfessionalTitle.SENIOR)
            )
            if teacherly
            else ProfessionalTitle.NONE,
            **identity.protected(number),
        )
        self.people.append(person)
        return person

    def post(self, person: Person, kindergarten: Kindergarten, role: str, **extra) -> StaffMember:
        rng = self.rng
        post = StaffMember(
            person=person,
            kindergarten=kindergarten,
            role=role,
            establishment=Establishment.ESTABLISHED if rng.random() < 0.45 else Establishment.CONTRACT,
            full_time=extra.pop("full_time", True),
            hired_on=extra.pop("hired_on", self.today - datetime.timedelta(days=rng.randint(200, 6000))),
            **extra,
        )
        self.posts.append(post)
        return post

    def certificate(self, person: Person, kind: str, *, expiring: bool) -> None:
        rng = self.rng
        issued = self.today - datetime.timedelta(days=rng.randint(100, 3000))
        expires = None
        if expiring:  # yearly certificates: spread from a week ago to about a year ahead
            expires = self.today + datetime.timedelta(days=rng.randint(-8, 360))
            issued = expires - datetime.timedelta(days=365)
        self.certificates.append(
            Certificate(
                person=person,
                kind=kind,
                number=f"{kind[:1].upper()}{rng.randint(10**9, 10**10 - 1)}",
                issued_on=issued,
                expires_on=expires,
            )
        )


def _figures(day: datetime.date) -> dict[int, tuple[int, int]]:
    """Classes and children per kindergarten this school year, else last year (a kindergarten whose
    report for this year is still open has its staff all the same)."""
    this_year = SchoolYear.start_year_for(day)
    found: dict[int, tuple[int, int]] = {}
    for year in (this_year - 1, this_year):  # this year's figures win
        rows = SchoolClass.objects.filter(school_year__start_year=year)
        grouped = rows.values("kindergarten").annotate(n=Count("pk"), c=Sum("enrolled")).order_by()
        found.update((r["kindergarten"], (r["n"], r["c"] or 0)) for r in grouped)
    return found


def seed_staff(rng: random.Random, demo: list[Kindergarten], today: datetime.date) -> str:
    staffed = set(StaffMember.objects.filter(kindergarten__in=demo).values_list("kindergarten", flat=True).distinct())
    figures = _figures(today)
    todo = [k for k in demo if k.pk not in staffed and figures.get(k.pk, (0, 0))[0] > 0]
    build = _Builder(rng, today)
    teacher_posts: list[StaffMember] = []
    for kindergarten in todo:
        classes, children = figures[kindergarten.pk]
        gap = rng.choice(GAPS) if rng.random() < 0.17 else None
        index = kindergarten.pk * 100
        roles: list[str] = [StaffRole.PRINCIPAL]
        if classes >= 6:
            roles.append(StaffRole.DEPUTY_PRINCIPAL)
        # Care-and-teaching staff for 1:8.5 (the standard's 1:7 – 1:9), at least 2 teachers and a
        # caregiver per class; large classes need more than 3 a class.
        carers = max(3 * classes, math.ceil(children / 8.5))
        teachers = max(2 * classes, math.ceil(carers * 2 / 3))
        roles += [StaffRole.TEACHER] * (teachers - (1 if gap == "teacher" else 0))
        roles += [StaffRole.CAREGIVER] * (carers - teachers - (2 if gap == "caregivers" and classes > 2 else 0))
        roles += [StaffRole.HEALTH] * max(
            1, math.ceil(children / 150) - (1 if gap == "health" and children > 150 else 0)
        )
        roles += [StaffRole.COOK] * max(1, math.ceil(children / 60))
        roles += [StaffRole.SECURITY] * (2 if children < 200 else 3)
        roles += [StaffRole.OTHER] * max(1, round(children / 100))
        uncertified = rng.randrange(len(roles)) if gap == "uncertified" else None
        for position, role in enumerate(roles):
            person = build.person(index + position, role)
            full_time = not (role == StaffRole.TEACHER and rng.random() < 0.04)
            post = build.post(person, kindergarten, role, full_time=full_time)
            if role == StaffRole.TEACHER:
                teacher_posts.append(post)
            if role in (StaffRole.TEACHER, StaffRole.PRINCIPAL, StaffRole.DEPUTY_PRINCIPAL):
                if not (position == uncertified and role == StaffRole.TEACHER):
                    build.certificate(person, CertificateKind.TEACHER, expiring=False)
            if role == StaffRole.PRINCIPAL or (role == StaffRole.DEPUTY_PRINCIPAL and gap != "deputy_uncertified"):
                build.certificate(person, CertificateKind.PRINCIPAL, expiring=False)
            if role in (StaffRole.HEALTH, StaffRole.COOK, StaffRole.CAREGIVER):
                build.certificate(person, CertificateKind.HEALTH, expiring=True)
            if role == StaffRole.SECURITY:
                build.certificate(person, CertificateKind.SECURITY, expiring=True)
    # A few teachers moved here from another demo kindergarten: their earlier post is history.
    for post in rng.sample(teacher_posts, min(len(teacher_posts), max(0, len(todo) // 10))):
        earlier = rng.choice(todo)
        if earlier is not post.kindergarten:
            left = post.hired_on - datetime.timedelta(days=rng.randint(1, 60))
            build.post(
                post.person, earlier, StaffRole.TEACHER, hired_on=left - datetime.timedelta(days=1500), left_on=left
            )

    history = {"batch_size": 500, "default_change_reason": CHANGE_REASON}
    bulk_create_with_history(build.people, Person, **history)
    for row in (*build.posts, *build.certificates):
        row.person_id = row.person.pk
    bulk_create_with_history(build.posts, StaffMember, **history)
    bulk_create_with_history(build.certificates, Certificate, **history)
    return f"教职工 {len(build.posts)} 个岗位（{len(todo)} 所幼儿园），证书 {len(build.certificates)} 张"
