"""Factories for enrolment data."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from enrollment.choices import ClassType, PopulationBasis, SubmissionStatus
from enrollment.models import ChildPopulation, EnrollmentByAge, EnrollmentSubmission, SchoolClass, SchoolYear
from tests.factories import KindergartenFactory, subdistrict


class SchoolYearFactory(DjangoModelFactory):
    class Meta:
        model = SchoolYear
        django_get_or_create = ("start_year",)

    start_year = 2026


class SchoolClassFactory(DjangoModelFactory):
    class Meta:
        model = SchoolClass

    kindergarten = factory.SubFactory(KindergartenFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    class_type = ClassType.SMALL
    name = factory.Sequence(lambda n: f"小{n}班")
    approved_size = 25
    enrolled = 24


class EnrollmentByAgeFactory(DjangoModelFactory):
    class Meta:
        model = EnrollmentByAge
        django_get_or_create = ("kindergarten", "school_year", "age")

    kindergarten = factory.SubFactory(KindergartenFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    age = 3
    children = 24


class SubmissionFactory(DjangoModelFactory):
    class Meta:
        model = EnrollmentSubmission
        django_get_or_create = ("kindergarten", "school_year")

    kindergarten = factory.SubFactory(KindergartenFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    status = SubmissionStatus.DRAFT

    class Params:
        submitted = factory.Trait(status=SubmissionStatus.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now))


class ChildPopulationFactory(DjangoModelFactory):
    class Meta:
        model = ChildPopulation
        django_get_or_create = ("subdistrict", "year", "age", "basis")

    subdistrict = factory.LazyFunction(lambda: subdistrict("望京"))
    year = 2026
    age = 3
    basis = PopulationBasis.RESIDENT
    children = 1000
