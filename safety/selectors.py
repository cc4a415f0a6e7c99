"""Reads of the safety app next to its models: each kindergarten's coverage rules evaluated in SQL.

The same rules as `safety.compliance.evaluate` (tests compare the two), as expressions the
indicators GROUP BY and the overview page lists without a query per kindergarten.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from enrollment.day_figures import year_classes
from enrollment.models import SchoolClass, SchoolYear
from kindergartens.models import Kindergarten
from staff.models import StaffMember

from .models import SafetyProfile, SafetyRuleSet

GUARD_COVERAGE = "guard_coverage"
ALARM_COVERAGE = "alarm_coverage"
VIDEO_COVERAGE = "video_coverage"
CLOSED_CAMPUS_COVERAGE = "closed_campus_coverage"
SAFETY_FULL_COVERAGE = "safety_full_coverage"
COVERAGES = (GUARD_COVERAGE, ALARM_COVERAGE, VIDEO_COVERAGE, CLOSED_CAMPUS_COVERAGE, SAFETY_FULL_COVERAGE)

P = "safety_profile__"


def required_guards_expression(rules: SafetyRuleSet) -> Case:
    """`SafetyRuleSet.required_guards` as SQL over the annotation ``people_on_campus`` (integer arithmetic)."""
    people = F("people_on_campus")
    whens = [When(Q(people_on_campus__lte=limit), then=Value(guards)) for limit, guards in rules.guard_bands]
    last_people, last_guards = rules.guard_bands[-1]
    step_people, step = rules.guards_step_people, rules.guards_step
    # ceil((people - last) / step_people) with integer division: (people - last + step_people - 1) / step_people.
    above = Value(last_guards) + (people - Value(last_people) + Value(step_people - 1)) / Value(step_people) * Value(
        step
    )
    return Case(*whens, default=above, output_field=IntegerField())


def rule_conditions() -> dict[str, Q]:
    """Per coverage code, the condition on an annotated kindergarten (see `annotated_safety`).

    Only the guard rule reads the annotations; the others are plain conditions on the profile.
    """
    guards = Q(**{f"{P}guards_full_time__gte": F("required_guards")})
    alarm = Q(**{f"{P}alarm_installed": True, f"{P}alarm_linked": True})
    video = Q(**{f"{P}cameras__gt": 0, f"{P}video_linked": True})
    closed = Q(**{f"{P}closed_campus": True})
    return {
        GUARD_COVERAGE: guards,
        ALARM_COVERAGE: alarm,
        VIDEO_COVERAGE: video,
        CLOSED_CAMPUS_COVERAGE: closed,
        SAFETY_FULL_COVERAGE: guards & alarm & video & closed,
    }


def staff_on_campus(day: datetime.date) -> Coalesce:
    """The registry's posts held on `day` at the outer kindergarten; without any, the profile's
    `staff_count` (as `compliance.staff_counts` and `evaluate`)."""
    posts = (
        StaffMember.objects.on(day)
        .filter(kindergarten=OuterRef("pk"))
        .values("kindergarten")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(posts), F(f"{P}staff_count"), 0, output_field=IntegerField())


def annotated_safety(queryset: QuerySet[Kindergarten], day: datetime.date) -> QuerySet[Kindergarten]:
    """Kindergartens annotated with ``children_enrolled``, ``people_on_campus`` and ``required_guards``."""
    children = (
        SchoolClass.objects.filter(kindergarten=OuterRef("pk"), school_year__start_year=SchoolYear.start_year_for(day))
        .values("kindergarten")
        .annotate(n=Sum("enrolled"))
        .values("n")
    )
    queryset = queryset.annotate(
        children_enrolled=Coalesce(Subquery(children, output_field=IntegerField()), 0),
        people_on_campus=staff_on_campus(day) + F("children_enrolled"),
    )
    rules = SafetyRuleSet.objects.for_day(day)
    if rules is None:  # no policy in force: nobody can meet a guard requirement
        return queryset.annotate(required_guards=Value(10**6, output_field=IntegerField()))
    return queryset.annotate(required_guards=required_guards_expression(rules))


def guards_met(
    queryset: QuerySet[Kindergarten], day: datetime.date, day_figures: str | None = None
) -> QuerySet[Kindergarten]:
    """The kindergartens of `queryset` meeting the guard rule on `day` (a ``values("pk")`` queryset).

    For the indicators' GROUP BY, where ``pk IN (this)`` is computed once and probed per row. Each
    kindergarten's children and posts are summed once, in two grouped derived tables joined to
    the profiles: the ORM's version grouped every class row and ran the staff subquery (part of
    the grouping key) for each of them, 2.7 million times at national scale (docs/benchmarks.md).
    With `day_figures`, the table of `staff.day_figures` for `day` (covering `queryset`), they are
    read from it instead: the indicator engine has them counted once for every source.
    The SQL is built from ORM querysets and the rule set's integers, so it is portable.
    """
    rules = SafetyRuleSet.objects.for_day(day)
    if rules is None:
        return queryset.none().values("pk")
    within = queryset.order_by().values("pk")
    profiles = SafetyProfile.objects.filter(kindergarten__in=within).values(
        kg=F("kindergarten"), guards=F("guards_full_time"), profile_staff=F("staff_count")
    )
    parts = [profiles.query.sql_with_params()]
    if day_figures is None:
        children = year_classes(within, day).annotate(n=Sum("enrolled")).values("kg", "n")
        posts = (
            StaffMember.objects.on(day)
            .filter(kindergarten__in=within)
            .order_by()
            .values(kg=F("kindergarten"))
            .annotate(n=Count("pk"))
            .values("kg", "n")
        )
        parts += [q.query.sql_with_params() for q in (posts, children)]
        joins = f"LEFT JOIN ({parts[1][0]}) s ON s.kg = p.kg LEFT JOIN ({parts[2][0]}) c ON c.kg = p.kg"
        staff, children_enrolled = "s.n", "c.n"
    else:
        joins = f"LEFT JOIN {day_figures} f ON f.kg = p.kg"
        staff, children_enrolled = "f.staff_total", "f.children_this_year"
    # The posts held on the day, or the profile's staff count without any (as `staff_on_campus`).
    people = f"(COALESCE({staff}, p.profile_staff, 0) + COALESCE({children_enrolled}, 0))"
    bands = " ".join(f"WHEN {people} <= %s THEN %s" for _ in rules.guard_bands)
    last_people, last_guards = rules.guard_bands[-1]
    step_people, step = rules.guards_step_people, rules.guards_step
    # Above the last band: ceil((people - last) / step_people) by integer division, as `required_guards`.
    above = f"%s + ({people} - %s + %s) / %s * %s"
    sql = f"SELECT p.kg FROM ({parts[0][0]}) p {joins} WHERE p.guards >= CASE {bands} ELSE {above} END"
    params = (
        *(param for _sql, part_params in parts for param in part_params),
        *(n for band in rules.guard_bands for n in band),
        last_guards,
        last_people,
        step_people - 1,
        step_people,
        step,
    )
    return Kindergarten.objects.filter(pk__in=RawSQL(sql, params)).values("pk")


def with_coverage(queryset: QuerySet[Kindergarten], day: datetime.date) -> QuerySet[Kindergarten]:
    """`annotated_safety` plus a boolean ``meets_<code>`` per coverage code."""
    flags = {
        f"meets_{code}": Case(When(q, then=Value(True)), default=Value(False)) for code, q in rule_conditions().items()
    }
    return annotated_safety(queryset, day).annotate(**flags)
