"""Reads of the staff app next to its models, in SQL: certificate states of posts, and each
kindergarten's staff and enrolment figures with the staffing checks as expressions.

`annotated_staffing` gives the same figures `staff.compliance.evaluate` judges in Python (tests
compare the two), so the indicators GROUP BY them and the overview lists them without a query per
kindergarten.
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections.abc import Callable, Iterable

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from common.sql import Statement, splice
from enrollment.day_figures import year_classes
from enrollment.models import SchoolClass, SchoolYear
from kindergartens.models import Kindergarten

from .choices import CARE_AND_TEACHING_ROLES, PRINCIPAL_ROLES, STAFFING_CHECKS, DayType, StaffingCheck, StaffRole
from .models import Certificate, StaffingStandard, StaffMember

ALL_STAFF = StaffingCheck.ALL_STAFF.value
CARERS = StaffingCheck.CARERS.value
PER_CLASS = StaffingCheck.PER_CLASS.value
PRINCIPALS = StaffingCheck.PRINCIPALS.value
HEALTH = StaffingCheck.HEALTH.value
FULLTIME_TEACHERS = StaffingCheck.FULLTIME_TEACHERS.value
TEACHER_CERTIFICATES = StaffingCheck.TEACHER_CERTIFICATES.value
PRINCIPAL_CERTIFICATES = StaffingCheck.PRINCIPAL_CERTIFICATES.value
CHECKS = tuple(StaffingCheck.values)

# A certificate kind → the condition that a post's person holds one (valid on the day in question).
Holds = Callable[[str], Q]

# Integer arithmetic for rates: a rate of 1.0000 is 10,000 basis points.
BASIS = 10_000


# --- certificates ----------------------------------------------------------------------------


def valid_certificates(day: datetime.date, kind: str | None = None) -> QuerySet[Certificate]:
    """Certificates of the outer row's person (``OuterRef("person")``) valid on `day`."""
    rows = Certificate.objects.valid_on(day).filter(person=OuterRef("person"))
    return rows.filter(kind=kind) if kind else rows


def _renewed(day: datetime.date, horizon: datetime.date | None = None, certificate: str = "") -> Exists:
    """Another certificate of the same person and kind, valid on `day` and lasting beyond `horizon`
    (or simply valid, without a horizon): the outer certificate is then no longer a worry.
    `certificate`: the path from the outer row to that certificate ("" for a certificate row)."""
    others = Certificate.objects.valid_on(day).filter(
        person=OuterRef(f"{certificate}person"), kind=OuterRef(f"{certificate}kind")
    )
    if horizon is not None:
        others = others.filter(Q(expires_on__isnull=True) | Q(expires_on__gt=horizon))
    return Exists(others.exclude(pk=OuterRef(f"{certificate}pk")))


def expiring_condition(day: datetime.date, days: int, certificate: str = "") -> Q:
    """The certificate at the path `certificate` ("" for a certificate row) is valid on `day`,
    expires within `days` days and is not already renewed (`Certificate.objects.expiring`, written
    so that a query over posts can test their holders' certificates in the same join)."""
    horizon = day + datetime.timedelta(days=days)
    c = certificate
    valid_and_expiring = Q(**{f"{c}issued_on__lte": day, f"{c}expires_on__gte": day, f"{c}expires_on__lte": horizon})
    return valid_and_expiring & ~Q(_renewed(day, horizon, c))


def expiring_certificates(day: datetime.date, days: int) -> QuerySet[Certificate]:
    """Certificates valid on `day` that expire within `days` days and are not already renewed."""
    return Certificate.objects.filter(expiring_condition(day, days))


def expired_certificates(day: datetime.date) -> QuerySet[Certificate]:
    """Certificates expired before `day` whose holder has no valid one of the same kind."""
    return Certificate.objects.expired(day).exclude(_renewed(day))


def certificate_worries(day: datetime.date, days: int | None, posts: QuerySet[StaffMember]) -> dict[str, int]:
    """How many certificates of the holders of `posts` are ``expiring`` (`expiring_certificates`
    with `days`; 0 without `days`) and ``expired`` (`expired_certificates`): one query.

    Both kinds expire by the horizon, so the expiry index gives the few candidates and the holder
    and renewal tests run per candidate (index probes), in the FILTER clauses; ``person IN
    (holders)`` hashed every current post first (~85 ms at 80,000 posts; docs/benchmarks.md).
    """
    horizon = day + datetime.timedelta(days=days or 0)
    held = Q(Exists(posts.filter(person=OuterRef("person"))))
    expired = Q(expires_on__lt=day) & ~Q(_renewed(day)) & held
    counts = {"expired": Count("pk", filter=expired)}
    if days is not None:
        # valid_on(day) and expiring within `days` (expires_on is set: it is ≤ the horizon).
        expiring = Q(expires_on__gte=day, issued_on__lte=day) & ~Q(_renewed(day, horizon)) & held
        counts["expiring"] = Count("pk", filter=expiring)
    found = Certificate.objects.filter(expires_on__lte=horizon).aggregate(**counts)
    return {"expiring": found.get("expiring", 0), "expired": found["expired"]}


def _holds(kind: str, day: datetime.date) -> Exists:
    return Exists(valid_certificates(day, kind))


def certified_condition(
    standard: StaffingStandard, roles: Iterable[str], day: datetime.date, holds: Holds | None = None
) -> Q:
    """Posts of `roles` whose person holds every certificate their role requires, valid on `day`.

    Roles requiring the same certificates share one test (principals and deputies: one EXISTS per
    kind, not one per role and kind; each is a hashed subplan over the certificates). `holds`
    gives the test of one kind (default: an EXISTS over the certificates valid on `day`)."""
    holds = holds or (lambda kind: Q(_holds(kind, day)))
    by_kinds: dict[tuple[str, ...], list[str]] = {}
    for role in roles:
        by_kinds.setdefault(tuple(standard.required_kinds(role)), []).append(role)
    condition = Q(pk__in=[])
    for kinds, same in by_kinds.items():
        held = Q(role__in=same)
        for kind in kinds:
            held &= holds(kind)
        condition |= held
    return condition


def missing_condition(standard: StaffingStandard, day: datetime.date) -> Q:
    """Posts whose person lacks a certificate their role requires (valid on `day`)."""
    condition = Q(pk__in=[])
    for role, kinds in standard.required_certificates.items():
        for kind in kinds:
            condition |= Q(role=role) & ~Q(_holds(kind, day))
    return condition


def with_certificate_state(
    queryset: QuerySet[StaffMember], day: datetime.date, standard: StaffingStandard | None
) -> QuerySet[StaffMember]:
    """Posts annotated with ``lacks_certificate``, ``certificate_expiring`` and ``certificate_expired``."""
    no = Value(False, output_field=BooleanField())
    if standard is None:
        return queryset.annotate(lacks_certificate=no, certificate_expiring=no, certificate_expired=no)
    expiring = expiring_certificates(day, standard.expiry_notice_days).filter(person=OuterRef("person"))
    expired = expired_certificates(day).filter(person=OuterRef("person"))
    return queryset.annotate(
        lacks_certificate=Case(When(missing_condition(standard, day), then=Value(True)), default=no),
        certificate_expiring=Exists(expiring),
        certificate_expired=Exists(expired),
    )


# --- staffing per kindergarten ---------------------------------------------------------------

# Figure name → which current posts it counts.
POST_FIGURES: dict[str, Q] = {
    "staff_total": Q(),
    "carers": Q(role__in=CARE_AND_TEACHING_ROLES),
    "teachers": Q(role=StaffRole.TEACHER),
    "caregivers": Q(role=StaffRole.CAREGIVER),
    "fulltime_teachers": Q(role=StaffRole.TEACHER, full_time=True),
    "principals": Q(role__in=PRINCIPAL_ROLES),
    "health_staff": Q(role=StaffRole.HEALTH, full_time=True),
}


def _count(posts: QuerySet[StaffMember], condition: Q) -> Coalesce:
    counted = posts.filter(condition).values("kindergarten").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def annotated_staffing(
    queryset: QuerySet[Kindergarten], day: datetime.date, standard: StaffingStandard | None
) -> QuerySet[Kindergarten]:
    """Kindergartens annotated with their staff figures on `day` (`POST_FIGURES`, the certified
    teachers and principals) and ``classes_this_year`` and ``children_this_year`` of the school year `day` falls in
    (every class, toddler classes included: they need staff too)."""
    posts = StaffMember.objects.on(day).filter(kindergarten=OuterRef("pk"))
    classes = SchoolClass.objects.filter(
        kindergarten=OuterRef("pk"), school_year__start_year=SchoolYear.start_year_for(day)
    )
    class_figures = classes.values("kindergarten").annotate(n=Count("pk"), c=Sum("enrolled"))
    figures = {name: _count(posts, q) for name, q in POST_FIGURES.items()}
    if standard is not None:
        figures["teachers_certified"] = _count(posts, certified_condition(standard, [StaffRole.TEACHER], day))
        figures["principals_certified"] = _count(posts, certified_condition(standard, PRINCIPAL_ROLES, day))
    else:
        figures["teachers_certified"] = figures["principals_certified"] = Value(0, output_field=IntegerField())
    return queryset.annotate(
        classes_this_year=Coalesce(Subquery(class_figures.values("n"), output_field=IntegerField()), 0),
        children_this_year=Coalesce(Subquery(class_figures.values("c"), output_field=IntegerField()), 0),
        **figures,
    )


def post_conditions(day: datetime.date, standard: StaffingStandard | None, holds: Holds | None = None) -> dict[str, Q]:
    """Figure name → the posts it counts: `POST_FIGURES`, with ``teachers_certified`` and
    ``principals_certified`` when a standard is in force (`holds`: as `certified_condition`)."""
    conditions = dict(POST_FIGURES)
    if standard is not None:
        conditions["teachers_certified"] = certified_condition(standard, [StaffRole.TEACHER], day, holds)
        conditions["principals_certified"] = certified_condition(standard, PRINCIPAL_ROLES, day, holds)
    return conditions


def holds_flag(kind: str) -> Q:
    """The test of one certificate kind in `post_rows`: the post's ``holds_<kind>`` flag."""
    return Q(**{f"holds_{kind}": True})


def certificate_flags(standard: StaffingStandard | None) -> dict[str, set[str]]:
    """Certificate kind → the roles whose posts `post_rows` tests for it: those `standard` requires it of."""
    flags: dict[str, set[str]] = {}
    for role in standard.required_certificates if standard is not None else ():
        for kind in standard.required_kinds(role):
            flags.setdefault(kind, set()).add(role)
    return flags


def post_rows(
    within: QuerySet, day: datetime.date, conditions: dict[str, Q], flags: dict[str, set[str]]
) -> tuple[str, tuple]:
    """One row per kindergarten of `within` (a ``values("pk")``) with posts on `day`: ``kg`` and,
    per name of `conditions`, how many of its posts meet the condition (SQL, parameters).

    The conditions test certificates with `holds_flag` (`post_conditions(…, holds=holds_flag)`):
    the posts of the day are first read with one ``holds_<kind>`` flag per kind of `flags`, tested
    only for the roles listed, in a derived table named as the posts' table; the counts then read
    the flags. Written in each count instead, the teacher qualification was three subplans over the
    certificates (certified teachers, certified principals, dual principals), each hashing or
    probing them for millions of posts at national scale (docs/benchmarks.md).

    How a flag is tested depends on how many posts are read:

    - part of the district (a sub-district's dashboard): an EXISTS per post, probing the
      certificates' person index; the posts are read in the counts' grouping order, so that
      millions of rows are never sorted;
    - the whole district (the nightly job): a left join to the persons holding the kind
      (`_holders`). An EXISTS is a subplan, which keeps PostgreSQL from sharing the posts between
      two processes: at national scale it hashed 5.4 million teachers' certificates and then
      read 9 million posts on one core (9.4 s; joined, 5.7 s).
    """
    condition = within.as_condition()
    whole_district = not condition
    table = connection.ops.quote_name(StaffMember._meta.db_table)
    joins: list[Statement] = []
    tests = {}
    for kind, roles in flags.items():
        if whole_district:
            alias = f"holders_{kind}"
            holders_sql, holders_params = _holders(day, kind).query.sql_with_params()
            joins.append(
                (f" LEFT JOIN ({holders_sql}) {alias} ON {alias}.person_id = {table}.person_id", holders_params)
            )
            held = RawSQL(f"{alias}.person_id IS NOT NULL", (), output_field=BooleanField())
        else:
            held = _holds(kind, day)
        tests[f"holds_{kind}"] = Case(
            When(role__in=sorted(roles), then=held), default=Value(False), output_field=BooleanField()
        )
    posts = StaffMember.objects.on(day).filter(condition).annotate(**tests)
    posts = posts.order_by() if whole_district else posts.order_by("kindergarten_id")
    posts = posts.values("id", "kindergarten_id", "role", "full_time", "hired_on", *tests)
    read = {name: RawSQL(f"{table}.{name}", (), output_field=BooleanField()) for name in tests}
    counted = (
        StaffMember.objects.annotate(**read)
        .order_by()
        .values(kg=F("kindergarten"))
        .annotate(**{name: Count("pk", filter=q) for name, q in conditions.items()})
    )
    inner = posts.query.sql_with_params()
    for join in joins:
        inner = splice(inner, f" FROM {table}", join)
    if connection.vendor == "postgresql" and not whole_district:
        # Keeps the derived table: pulled up into the counts, each flag's EXISTS is inlined in every count again.
        inner = (f"{inner[0]} OFFSET 0", inner[1])
    sql, params = counted.query.sql_with_params()
    return splice((sql, params), f" FROM {table}", (f" FROM ({inner[0]}) {table}", inner[1]), replace=True)


def _holders(day: datetime.date, kind: str) -> QuerySet[Certificate]:
    """Each person holding a certificate of `kind` valid on `day`, once."""
    return Certificate.objects.valid_on(day).filter(kind=kind).values("person_id").distinct().order_by()


def class_rows(within: QuerySet[Kindergarten], day: datetime.date) -> QuerySet[SchoolClass]:
    """One row per kindergarten of `within` with classes in the school year of `day`: ``kg``,
    ``classes_this_year`` and ``children_this_year``."""
    return year_classes(within, day).annotate(
        classes_this_year=Count("pk"), children_this_year=Coalesce(Sum("enrolled"), 0)
    )


def grouped_staffing(
    queryset: QuerySet[Kindergarten], day: datetime.date, standard: StaffingStandard | None
) -> dict[int, dict[str, int]]:
    """`annotated_staffing`'s figures per kindergarten pk (none for one without classes or posts),
    from one GROUP BY over the posts and one over the classes instead of a correlated subquery per
    figure and kindergarten: the same counts, read in a single pass over each table."""
    kindergartens = queryset.order_by().values("pk")
    conditions = post_conditions(day, standard, holds=holds_flag)
    with connection.cursor() as cursor:
        cursor.execute(*post_rows(kindergartens, day, conditions, certificate_flags(standard)))
        figures = {kg: dict(zip(conditions, counts, strict=True)) for kg, *counts in cursor.fetchall()}
    for row in class_rows(kindergartens, day):
        figures.setdefault(row.pop("kg"), {}).update(row)
    return figures


def _max_principals(standard: StaffingStandard) -> Case:
    whens = [When(Q(classes_this_year__lte=limit), then=Value(most)) for limit, most in standard.principal_bands]
    return Case(*whens, default=Value(standard.principals_above), output_field=IntegerField())


def check_conditions(standard: StaffingStandard, day_type: str | None = None) -> dict[str, Q]:
    """Per check, the condition on a kindergarten annotated by `annotated_staffing` and the helper
    figures of `with_staffing_checks`: the same rules as `staff.compliance`. Without `day_type`,
    each kindergarten is judged against the standard of its own `day_type` (全日制 / 半日制)."""
    if day_type is None:
        by_type = {value: _conditions_for(standard, value) for value in DayType.values}
        return {
            code: functools.reduce(
                operator.or_, (Q(day_type=value) & conditions[code] for value, conditions in by_type.items())
            )
            for code in by_type[DayType.FULL_DAY]
        }
    return _conditions_for(standard, day_type)


def _conditions_for(standard: StaffingStandard, day_type: str) -> dict[str, Q]:
    r = standard.ratios(day_type)
    return {
        ALL_STAFF: Q(children_this_year__lte=F("staff_total") * r["staff_ratio_high"]),
        CARERS: Q(children_this_year__lte=F("carers") * r["carer_ratio_high"]),
        PER_CLASS: Q(teachers__gte=F("classes_this_year") * r["teachers_per_class"])
        & Q(carers__gte=F("classes_this_year") * r["carers_per_class"]),
        PRINCIPALS: Q(principals__gte=1, principals__lte=F("max_principals")),
        HEALTH: Q(children_this_year__lte=F("health_staff") * standard.children_per_health_staff),
        FULLTIME_TEACHERS: Q(children_this_year__lte=F("fulltime_teachers") * standard.children_per_fulltime_teacher),
        TEACHER_CERTIFICATES: Q(teacher_certificate_margin__gte=0) | Q(teachers=0),
        PRINCIPAL_CERTIFICATES: Q(principal_certificate_margin__gte=0) | Q(principals=0),
    }


def staffing_conditions(standard: StaffingStandard, day_type: str | None = None) -> dict[str, Q]:
    conditions = check_conditions(standard, day_type)
    staffing = Q()
    for code in STAFFING_CHECKS:
        staffing &= conditions[code]
    return conditions | {"staffing": staffing}


def with_staffing_checks(
    queryset: QuerySet[Kindergarten], day: datetime.date, standard: StaffingStandard | None
) -> QuerySet[Kindergarten]:
    """`annotated_staffing` plus a boolean ``meets_<check>`` per check and ``meets_staffing`` (all
    six staffing checks; the certificate checks are measured by their own rates)."""
    return judge_staffing(annotated_staffing(queryset, day, standard), standard)


def judge_staffing(queryset: QuerySet[Kindergarten], standard: StaffingStandard | None) -> QuerySet[Kindergarten]:
    """Kindergartens annotated with `annotated_staffing`'s figures (or columns of the same names)
    plus the ``meets_<check>`` flags: the one place the checks become SQL."""
    if standard is None:  # no standard in force: nothing can be judged, nothing is met
        no = Value(False, output_field=BooleanField())
        return queryset.annotate(meets_staffing=no, **{f"meets_{code}": no for code in CHECKS})
    teacher_rate = int(standard.teacher_certified_rate * BASIS)
    principal_rate = int(standard.principal_certified_rate * BASIS)
    queryset = queryset.annotate(
        max_principals=_max_principals(standard),
        teacher_certificate_margin=F("teachers_certified") * BASIS - F("teachers") * teacher_rate,
        principal_certificate_margin=F("principals_certified") * BASIS - F("principals") * principal_rate,
    )
    flags = {
        f"meets_{code}": Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())
        for code, q in staffing_conditions(standard).items()
    }
    return queryset.annotate(**flags)


def current_holders_at(day: datetime.date, **post_filters) -> QuerySet[StaffMember]:
    """The people (``values("person")``) holding a post on `day` that matches `post_filters`."""
    return StaffMember.objects.on(day).filter(**post_filters).values("person")
