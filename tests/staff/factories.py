"""Factories of the staff tests: people with valid (made-up) ID numbers, posts and certificates."""

import datetime

import factory
from factory.django import DjangoModelFactory

from staff import identity
from staff.choices import CertificateKind, Education, Establishment, Gender, StaffRole
from staff.models import Certificate, Person, StaffMember
from tests.factories import KindergartenFactory


def id_number(n: int, *, birth: str = "19900101") -> str:
    """A well-formed 18-character number (region 110105, Chaoyang) with its check digit."""
    first17 = f"110105{birth}{n % 1000:03d}"
    return first17 + identity.check_digit(first17)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    class Params:
        number = factory.Sequence(lambda n: id_number(n, birth=f"19{80 + n // 1000 % 20:02d}0101"))

    name = factory.Sequence(lambda n: f"教师{n}")
    gender = Gender.FEMALE
    education = Education.BACHELOR
    id_hash = factory.LazyAttribute(lambda o: identity.id_hash(o.number))
    id_encrypted = factory.LazyAttribute(lambda o: identity.encrypt(o.number))
    id_last4 = factory.LazyAttribute(lambda o: o.number[-4:])


class StaffMemberFactory(DjangoModelFactory):
    class Meta:
        model = StaffMember

    person = factory.SubFactory(PersonFactory)
    kindergarten = factory.SubFactory(KindergartenFactory)
    role = StaffRole.TEACHER
    establishment = Establishment.CONTRACT
    full_time = True
    hired_on = datetime.date(2020, 9, 1)


class CertificateFactory(DjangoModelFactory):
    class Meta:
        model = Certificate

    person = factory.SubFactory(PersonFactory)
    kind = CertificateKind.TEACHER
    number = factory.Sequence(lambda n: f"2020110{n:07d}")
    issued_on = datetime.date(2015, 7, 1)
    expires_on = None
