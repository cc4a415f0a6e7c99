"""Factories shared by every app's tests."""

import factory
from factory.django import DjangoModelFactory

from accounts.choices import Role
from accounts.models import User
from kindergartens.choices import InclusiveStatus, LicenceStatus, SponsorType
from kindergartens.models import Kindergarten, Subdistrict


def subdistrict(name: str) -> Subdistrict:
    """The seeded sub-district of that name (the data migration provides all 43)."""
    return Subdistrict.objects.get(name=name)


class KindergartenFactory(DjangoModelFactory):
    class Meta:
        model = Kindergarten

    code = factory.Sequence(lambda n: f"KG{n:05d}")
    name = factory.Sequence(lambda n: f"朝阳区第{n}幼儿园")
    subdistrict = factory.LazyFunction(lambda: subdistrict("望京"))
    address = "北京市朝阳区望京街道1号"
    sponsor_type = SponsorType.EDUCATION_BUREAU
    inclusive_status = InclusiveStatus.PUBLIC
    licence_status = LicenceStatus.LICENSED
    approved_capacity = 300


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.BUREAU_OFFICIAL
    password = factory.django.Password("portal-pass-123")  # hashed before the one save
