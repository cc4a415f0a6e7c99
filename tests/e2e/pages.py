"""A small demo world for the page-by-page browser tests (overflow on a phone, English layout).

Twelve registry rows with `DEMO-` codes (望京, 双井, 劲松; public and private), the five demo
logins (`accounts.demo.seed_users`), then every app's own demo seeder except the registry's
(which would build the whole district's 414 kindergartens): so each module's pages have the
records a real director, inspector or official would see, without the full seed's minutes.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, seed_users
from accounts.models import User
from enrollment.models import SchoolYear
from kindergartens.choices import InclusiveStatus, SponsorType
from kindergartens.models import Kindergarten
from tests.factories import KindergartenFactory, subdistrict

DEMO_SEED = 2025
# (code, sub-district, sponsor, inclusive status); the first is the demo director's kindergarten.
REGISTRY = [
    ("DEMO-0001", "望京", SponsorType.EDUCATION_BUREAU, InclusiveStatus.PUBLIC),
    ("DEMO-0002", "望京", SponsorType.EDUCATION_BUREAU, InclusiveStatus.PUBLIC),
    ("DEMO-0003", "望京", SponsorType.PRIVATE_NONPROFIT, InclusiveStatus.INCLUSIVE_PRIVATE),
    ("DEMO-0004", "望京", SponsorType.PRIVATE_FORPROFIT, InclusiveStatus.NON_INCLUSIVE_PRIVATE),
    ("DEMO-0005", "双井", SponsorType.EDUCATION_BUREAU, InclusiveStatus.PUBLIC),
    ("DEMO-0006", "双井", SponsorType.PRIVATE_NONPROFIT, InclusiveStatus.INCLUSIVE_PRIVATE),
    ("DEMO-0007", "劲松", SponsorType.EDUCATION_BUREAU, InclusiveStatus.PUBLIC),
    ("DEMO-0008", "劲松", SponsorType.PRIVATE_FORPROFIT, InclusiveStatus.NON_INCLUSIVE_PRIVATE),
]
# The apps whose demo seeders run, in INSTALLED_APPS order (the registry's is replaced above).
SEEDERS = ["enrollment.demo", "inspections.demo", "staff.demo", "safety.demo", "governance.demo", "notifications.demo"]


__all__ = ["DEMO_PASSWORD", "World", "demo_world"]


@dataclass
class World:
    """The demo world as the demo director (`director`, of kindergarten `kg`) sees it."""

    director: User
    kg: Kindergarten
    year: int  # the current school year's start year

    def pk_of(self, model: str, **filters) -> int:
        """The newest row of `model` ("app.Model") the director may see, matching `filters`."""
        manager = apps.get_model(model).objects
        rows = manager.restrict(self.director, "view") if hasattr(manager, "restrict") else manager.all()
        rows = rows.filter(**filters)
        row = rows.order_by("-pk").first()
        assert row is not None, f"The demo world has no {model} {filters} for the director: seed one."
        return row.pk

    def url_of(self, model: str, **filters) -> str:
        return apps.get_model(model).objects.get(pk=self.pk_of(model, **filters)).get_absolute_url()


def quality_work(director: User) -> None:
    """The director's self-assessment draft in the current cycle and an open quality issue (the
    inspections seeder gives them to a district-sized registry only)."""
    from inspections import services
    from inspections.models import CycleAssignment, EvaluationCycle
    from tests.inspections.factories import quality_issue

    cycle = EvaluationCycle.objects.current()
    kg = director.kindergarten
    year = cycle.start_year + 1
    CycleAssignment.objects.get_or_create(
        cycle=cycle, kindergarten=kg, defaults={"planned_year": year, "self_assessment_due": cycle.due_date_for(year)}
    )
    with transaction.atomic():
        services.self_assessment_start(kindergarten=kg, cycle=cycle, user=director)
    quality_issue(cycle, kg)


def demo_world() -> World:
    for code, area, sponsor, inclusive in REGISTRY:
        KindergartenFactory(
            code=code,
            name=f"北京市朝阳区{area}第{code[-1]}幼儿园",
            subdistrict=subdistrict(area),
            sponsor_type=sponsor,
            inclusive_status=inclusive,
            latitude="39.990000",
            longitude="116.470000",
        )
    seed_users(Kindergarten.objects.filter(code__startswith="DEMO-"))
    for name in SEEDERS:
        importlib.import_module(name).seed(random.Random(DEMO_SEED))
    director = User.objects.select_related("kindergarten").get(username="director")
    quality_work(director)
    return World(director, director.kindergarten, SchoolYear.start_year_for(timezone.localdate()))
