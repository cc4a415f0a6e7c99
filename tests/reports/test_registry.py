"""Indicators contributed by their apps (`reports.registry`): a new app's indicator reaches the
snapshots, the API, the dashboard and the exports without a change in `reports/`, and `reports`
imports no domain app above its lower layers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from enrollment.choices import EnrollmentIndicator
from kindergartens.models import Kindergarten
from reports import registry
from reports.choices import Authority, Comparison, ScopeType
from reports.exports import indicator_rows
from reports.models import IndicatorSnapshot, Target
from reports.registry import IndicatorContext, IndicatorDefinition, IndicatorSource, Tally, Unit
from reports.scopes import Scope
from reports.services import compute_indicators
from tests.conftest import client_for

from .conftest import DAY, snapshots_per_date

TOY = "toy_large_share"


def compute_large_share(context: IndicatorContext) -> dict[Scope, dict[str, Tally]]:
    """Kindergartens with 100 seats or more ÷ all kindergartens: one GROUP BY, as an app would."""
    rows = (
        Kindergarten.objects.values("subdistrict", "sponsor_type")
        .annotate(large=Count("pk", filter=Q(approved_capacity__gte=100)), all=Count("pk"))
        .values_list("subdistrict", "sponsor_type", "large", "all")
        .order_by()
    )
    totals: dict[tuple[str, object], list[int]] = {}
    for subdistrict_id, sponsor_type, large, total in rows:
        for key in (
            (ScopeType.DISTRICT, None),
            (ScopeType.SUBDISTRICT, subdistrict_id),
            (ScopeType.OWNERSHIP, sponsor_type),
        ):
            found = totals.setdefault(key, [0, 0])
            found[0] += large
            found[1] += total
    figures = {}
    for scope in context.scopes:
        key = {ScopeType.DISTRICT: None, ScopeType.SUBDISTRICT: scope.subdistrict_id}.get(scope.type, scope.key)
        large, total = totals.get((scope.type, key), (0, 0))
        figures[scope] = {TOY: Tally(large, total)}
    return figures


TOY_SOURCE = IndicatorSource(
    indicators=(
        IndicatorDefinition(
            code=TOY,
            label=_("大园占比"),
            short_label=_("大园"),
            definition=_("核定学位不少于 100 个的幼儿园数 ÷ 幼儿园总数。"),
            unit=Unit.RATIO,
            direction=Comparison.AT_LEAST,
            numerator_label=_("大园"),
            denominator_label=_("幼儿园"),
            order=99,
        ),
    ),
    compute=compute_large_share,
)


@pytest.fixture
def toy():
    """The toy indicator registered from this test module, for the test only."""
    with registry.registered(TOY_SOURCE):
        yield TOY_SOURCE


@pytest.fixture
def toy_target(db) -> Target:
    return Target.objects.create(
        indicator=TOY,
        authority=Authority.CHAOYANG,
        value=Decimal("0.65"),
        valid_from=datetime.date(2025, 1, 1),
        source="测试",
    )


def snapshot(scope_type: str, scope_key: str) -> IndicatorSnapshot:
    return IndicatorSnapshot.objects.get(date=DAY, scope_type=scope_type, scope_key=scope_key, indicator=TOY)


class TestToyIndicator:
    def test_it_appears_in_the_computed_snapshots(self, toy, toy_target, district, fake_report):
        run = compute_indicators(date=DAY)
        assert run.status == "succeeded", run.error
        # Every scope of its declared types: the district, 43 sub-districts, 8 sponsor types.
        assert IndicatorSnapshot.objects.filter(date=DAY, indicator=TOY).count() == 1 + 43 + 8
        # One snapshot per registered indicator and scope (the toy's 52 included).
        assert run.snapshot_count == snapshots_per_date()
        # 望京: A (200), B (100) and E (100) of its five kindergartens; 双井: F of one.
        wangjing = snapshot(ScopeType.SUBDISTRICT, district.wangjing.code)
        assert (wangjing.numerator, wangjing.denominator, wangjing.value) == (3, 5, Decimal("0.6"))
        assert (wangjing.target, wangjing.met) == (Decimal("0.65"), False)
        whole = snapshot(ScopeType.DISTRICT, "district")
        assert (whole.numerator, whole.denominator, whole.value, whole.met) == (4, 6, Decimal("0.666666"), True)
        # Not declared as binding each part: a sponsor type carries no target.
        army = snapshot(ScopeType.OWNERSHIP, "army")
        assert (army.denominator, army.value, army.target) == (0, None, None)

    def test_the_api_accepts_documents_and_labels_its_code(
        self, toy, district, fake_report, api_client, bureau_official
    ):
        compute_indicators(date=DAY)
        api_client.force_authenticate(user=bureau_official)
        response = api_client.get("/api/indicators/", {"indicator": TOY, "scope_type": ScopeType.DISTRICT})
        assert response.status_code == 200
        rows = response.json()["results"]
        assert [(r["indicator"], r["indicator_label"], r["value"]) for r in rows] == [(TOY, "大园占比", "0.666666")]
        assert (TOY, "大园占比") in list(registry.CHOICES)

    def test_the_dashboard_shows_it_among_the_other_indicators(
        self, toy, district, fake_report, client, bureau_official
    ):
        compute_indicators(date=DAY)
        response = client_for(client, bureau_official).get(f"/dashboard/subdistrict/{district.wangjing.pk}/")
        assert response.status_code == 200
        figure = response.context["board"].others[-1]
        assert (figure.indicator, figure.label, figure.short_label, figure.value) == (
            TOY,
            "大园占比",
            "大园",
            Decimal("0.6"),
        )
        assert not figure.has_breakdown  # it declares no drill-down: shown without a link
        assert "大园占比" in response.content.decode()
        assert ("大园占比", "核定学位不少于 100 个的幼儿园数 ÷ 幼儿园总数。") in [
            (str(t), str(d)) for t, d in response.context["definitions"]
        ]
        assert client.get(reverse("reports:drilldown", args=[TOY])).status_code == 404

    def test_the_export_labels_and_formats_it(self, toy, district, fake_report):
        compute_indicators(date=DAY)
        (row,) = indicator_rows(IndicatorSnapshot.objects.filter(indicator=TOY, scope_type=ScopeType.DISTRICT))
        assert (row["indicator_label"], row["display"]) == ("大园占比", "66.6%")

    def test_a_target_for_it_validates_once_registered(self, toy, db):
        Target(indicator=TOY, authority=Authority.CHAOYANG, value=1, valid_from=DAY, source="测试").full_clean()


def test_a_target_for_an_undeclared_code_is_refused(db):
    with pytest.raises(ValidationError) as error:
        Target(
            indicator="nobody_declares_this", authority=Authority.CHAOYANG, value=1, valid_from=DAY, source="x"
        ).full_clean()
    assert "indicator" in error.value.message_dict


def test_a_code_cannot_be_declared_twice(toy):
    twin = IndicatorSource(indicators=TOY_SOURCE.indicators, compute=compute_large_share)
    with pytest.raises(ImproperlyConfigured):
        registry.register(twin)
    assert registry.find(TOY) is TOY_SOURCE.indicators[0]


def test_the_apps_indicators_are_found_by_autodiscovery_in_installed_apps_order():
    assert registry.codes() == [
        "estate_not_in_place",
        "village_centre_missing",
        *EnrollmentIndicator,
        "unlicensed_open_cases",
        "evaluation_coverage",
        "staffing_compliance",
        "children_per_fulltime_teacher",
        "teacher_certified_rate",
        "principal_certified_rate",
        "certificates_expiring",
        "dual_certificate_rate",
        "principal_credit_completion",
        "social_insurance_coverage",
        "guard_coverage",
        "alarm_coverage",
        "video_coverage",
        "closed_campus_coverage",
        "safety_full_coverage",
        "hazards_overdue",
        "major_hazards_open",
        "hazard_closure_rate",
        "recognitions_expiring",
        "fee_anomalies_open",
    ]
    modules = [source.compute.__module__ for source in registry.sources()]
    assert modules == [
        "kindergartens.indicators",
        "kindergartens.indicators",
        "enrollment.indicators",
        "inspections.indicators",
        "inspections.indicators",  # the open cases, then the evaluation coverage
        "staff.indicators",
        "staff.indicators_development",
        "safety.indicators",
        "governance.indicators",
    ]
    assert registry.headline_codes() == (
        EnrollmentIndicator.GROSS_ENROLLMENT_RATE,
        EnrollmentIndicator.INCLUSIVE_COVERAGE,
        EnrollmentIndicator.PUBLIC_SHARE,
    )


def test_every_seeded_target_compares_in_its_indicators_declared_direction(db):
    targets = list(Target.objects.all())
    assert targets  # seeded by the migrations
    for target in targets:
        assert target.comparison == registry.find(target.indicator).direction, target


class TestPdfSections:
    """An app adds a chapter to the PDF without `reports` naming it (safety's is rendered in
    tests/safety/test_outputs.py)."""

    @pytest.mark.django_db  # every registered section is built, safety's included
    def test_a_registered_section_is_built_for_the_reports_date_and_scope(self):
        from types import SimpleNamespace

        from reports.pdf import app_sections

        calls = []
        toy = registry.PdfSection(
            name="toy", template="toy.html", build=lambda day, sub: calls.append((day, sub)) or 42
        )
        registry.register_pdf_section(toy)
        try:
            board = SimpleNamespace(date=DAY, subdistrict=None)
            assert {"template": "toy.html", "name": "toy", "data": 42} in app_sections(board)
            assert (DAY, None) in calls
            assert app_sections(SimpleNamespace(date=None, subdistrict=None)) == []  # no snapshot, no chapter
            with pytest.raises(ImproperlyConfigured):
                registry.register_pdf_section(registry.PdfSection(name="toy", template="x.html", build=lambda d, s: 0))
        finally:
            registry.unregister_pdf_section(toy)
        assert toy not in registry.pdf_sections()

    def test_the_apps_chapters_are_found_by_autodiscovery(self):
        # In INSTALLED_APPS order: staff, safety, then governance.
        assert [section.name for section in registry.pdf_sections()] == ["staff", "safety", "governance"]
