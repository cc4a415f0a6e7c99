"""Exact target checks: `met` comes from the exact fraction, the stored value is cut (never rounded
up) to six places, and every page shows the cut value beside the stored verdict.

The boundary cases have six- and seven-digit denominators, where rounding the value half up to
six places used to turn a figure below 90 % into 0.900000, "90.0 %" and "met":

| scope  | numerator / denominator | exact        | stored   | shown  | ≥ 90 % |
|--------|-------------------------|--------------|----------|--------|--------|
| 全区   | 360,008 / 400,009       | 0.89999975…  | 0.899999 | 89.9%  | no     |
| 望京   | 360,009 / 400,009       | 0.90000224…  | 0.900002 | 90.0%  | yes    |
| 双井   | 360,009 / 400,010       | 0.9 exactly  | 0.900000 | 90.0%  | yes    |
| 建外   | 900,000 / 1,000,000     | 0.9 exactly  | 0.900000 | 90.0%  | yes    |
| 太阳宫 | 9,000,008 / 10,000,009  | 0.89999999…  | 0.899999 | 89.9%  | no     |

They come from a test indicator registered for the module (`exact_share`, one of the plan's
targets for the test, so it has sub-district rows, bars and a PDF section), next to an "at most"
count (`exact_open`, ≤ 0).
"""

from __future__ import annotations

import datetime
import io
import json
import re
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reports import registry
from reports.choices import Authority, Comparison, ScopeType
from reports.indicators import _ratio, _Verdict, compute_indicators_for, format_indicator_value
from reports.models import IndicatorSnapshot, Target, meets
from reports.pdf import render_report_html, report_context
from reports.registry import IndicatorContext, IndicatorDefinition, IndicatorSource, Tally, Unit
from reports.scopes import Scope
from reports.services import compute_indicators
from reports.templatetags.report_format import percent
from tests.conftest import client_for
from tests.factories import subdistrict

from .conftest import DAY

SHARE, OPEN = "exact_share", "exact_open"
NINETY = Decimal("0.9000")
FIGURES = {
    "district": (360_008, 400_009, 1),
    "望京": (360_009, 400_009, 0),
    "双井": (360_009, 400_010, 0),
    "建外": (900_000, 1_000_000, 1),
    "太阳宫": (9_000_008, 10_000_009, 0),
}
EXPECTED = {  # stored value, shown, met ≥ 90 %
    "district": ("0.899999", "89.9%", False),
    "望京": ("0.900002", "90.0%", True),
    "双井": ("0.900000", "90.0%", True),
    "建外": ("0.900000", "90.0%", True),
    "太阳宫": ("0.899999", "89.9%", False),
}


def compute_exact(context: IndicatorContext) -> dict[Scope, dict[str, Tally]]:
    figures = {}
    for scope in context.scopes:
        key = "district" if scope.type == ScopeType.DISTRICT else scope.label
        if key in FIGURES:
            numerator, denominator, open_count = FIGURES[key]
            figures[scope] = {SHARE: Tally(numerator, denominator), OPEN: Tally(open_count)}
    return figures


EXACT_SOURCE = IndicatorSource(
    indicators=(
        IndicatorDefinition(
            code=SHARE,
            label=_("精确占比"),
            definition=_("测试用指标。"),
            unit=Unit.RATIO,
            direction=Comparison.AT_LEAST,
            scopes=registry.AREA_SCOPES,
            headline=True,
        ),
        IndicatorDefinition(
            code=OPEN,
            label=_("未办结事项"),
            definition=_("测试用计数。"),
            unit=Unit.COUNT,
            direction=Comparison.AT_MOST,
            scopes=registry.AREA_SCOPES,
        ),
    ),
    compute=compute_exact,
)


@pytest.fixture
def exact(db):
    """The test indicators, with Chaoyang's targets: ≥ 90 % and ≤ 0."""
    for code, comparison, value in ((SHARE, Comparison.AT_LEAST, NINETY), (OPEN, Comparison.AT_MOST, Decimal(0))):
        Target.objects.create(
            indicator=code,
            authority=Authority.CHAOYANG,
            comparison=comparison,
            value=value,
            valid_from=datetime.date(2025, 1, 1),
            source="测试",
        )
    with registry.registered(EXACT_SOURCE):
        yield


@pytest.fixture
def computed(exact, fake_report):
    run = compute_indicators(date=DAY)
    assert run.status == "succeeded", run.error
    return run


def snapshot(name: str, indicator: str = SHARE) -> IndicatorSnapshot:
    if name == "district":
        return IndicatorSnapshot.objects.get(date=DAY, scope_type=ScopeType.DISTRICT, indicator=indicator)
    return IndicatorSnapshot.objects.get(date=DAY, subdistrict=subdistrict(name), indicator=indicator)


# --- the rule itself -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "met"),
    [
        (360_008, 400_009, False),  # 0.89999975…: was stored 0.900000 and marked met
        (360_009, 400_009, True),  # 0.90000224…
        (360_009, 400_010, True),  # exactly 90 %
        (900_000, 1_000_000, True),  # exactly 90 %
        (899_999, 1_000_000, False),
        (9_000_008, 10_000_009, False),  # 0.89999999…
        (9_000_009, 10_000_009, True),  # 0.90000008…, stored 0.900000
        (Decimal("360008.00"), Decimal("400009.00"), False),  # as the snapshots store them
    ],
)
def test_a_ratio_meets_an_at_least_target_on_its_exact_fraction(numerator, denominator, met):
    assert meets(Comparison.AT_LEAST, NINETY, numerator, denominator, ratio=True) is met


def test_an_at_most_target_is_exact_too():
    # A count: its numerator against the target.
    assert meets(Comparison.AT_MOST, Decimal(0), 0, None, ratio=False) is True
    assert meets(Comparison.AT_MOST, Decimal(0), 1, None, ratio=False) is False
    assert meets(Comparison.AT_MOST, Decimal(3), Decimal("3.00"), None, ratio=False) is True
    # A ratio ≤ 10 %: 1,000,001 / 10,000,000 = 0.1000001 is cut to 0.100000 but misses.
    assert meets(Comparison.AT_MOST, Decimal("0.1"), 1_000_001, 10_000_000, ratio=True) is False
    assert meets(Comparison.AT_MOST, Decimal("0.1"), 1_000_000, 10_000_000, ratio=True) is True


def test_there_is_no_verdict_without_a_figure():
    assert meets(Comparison.AT_LEAST, NINETY, 0, 0, ratio=True) is None
    assert meets(Comparison.AT_LEAST, NINETY, 5, None, ratio=True) is None
    assert meets(Comparison.AT_MOST, Decimal(0), None, None, ratio=False) is None


# --- the engine and the snapshots ----------------------------------------------------------------


def test_the_engine_cuts_the_value_and_judges_the_exact_fraction(exact):
    values = {
        ("district" if v.scope.type == ScopeType.DISTRICT else v.scope.label, v.indicator): v
        for v in compute_indicators_for(DAY)
        if v.scope.type != ScopeType.OWNERSHIP
    }
    for name, (stored, shown, met) in EXPECTED.items():
        value = values[(name, SHARE)]
        assert (value.value, value.target, value.met) == (Decimal(stored), NINETY, met), name
        assert format_indicator_value(SHARE, value.value) == shown, name
    # The "at most" count: 望京 has no open item (met), 建外 one (missed).
    assert (values[("望京", OPEN)].value, values[("望京", OPEN)].met) == (0, True)
    assert (values[("建外", OPEN)].value, values[("建外", OPEN)].met) == (1, False)
    assert values[("district", OPEN)].met is False


def test_the_snapshots_keep_the_cut_value_and_the_exact_verdict(computed):
    for name, (stored, _shown, met) in EXPECTED.items():
        row = snapshot(name)
        assert (row.value, row.met, row.target) == (Decimal(stored), met, NINETY), name
    assert (snapshot("望京", OPEN).met, snapshot("建外", OPEN).met) == (True, False)


# --- every page shows the cut value beside the stored verdict ------------------------------------


def chart_data(html: str) -> dict:
    start = html.index('<script id="dashboard-data" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_the_dashboard_shows_89_9_percent_and_not_met(computed, client, bureau_official):
    response = client_for(client, bureau_official).get("/dashboard/")
    board = response.context["board"]
    share = next(f for f in board.headline if f.indicator == SHARE)
    assert (share.value, share.met, share.short) == (Decimal("0.899999"), False, True)
    html = response.content.decode()
    assert "89.9%</a>" in html  # the district's big figure, with its 未达标 badge
    # The sub-districts below target: only 太阳宫 (9,000,008 / 10,000,009), not the exact 90 % ones.
    assert [row.name for row in board.shortfall_rows] == ["太阳宫"]
    rows = {row.name: next(f for f in row.figures if f.indicator == SHARE) for row in board.rows}
    for name in ("望京", "双井", "建外", "太阳宫"):
        assert (str(rows[name].value), rows[name].met) == (EXPECTED[name][0], EXPECTED[name][2]), name
    # The bars are coloured by the stored verdicts, not by comparing values in the script.
    data = chart_data(html)
    names = data["subdistricts"]["names"]
    flags = dict(zip(names, data["subdistricts"]["short"][SHARE], strict=True))
    assert flags["太阳宫"] is True and not any(flags[n] for n in ("望京", "双井", "建外"))
    # The "at most" count among the other indicators.
    open_items = next(f for f in board.others if f.indicator == OPEN)
    assert (open_items.value, open_items.met) == (1, False)


def test_a_subdistrict_at_exactly_90_percent_is_met(computed, client, bureau_official):
    response = client_for(client, bureau_official).get(f"/dashboard/subdistrict/{subdistrict('双井').pk}/")
    share = next(f for f in response.context["board"].headline if f.indicator == SHARE)
    assert (share.value, share.met) == (Decimal("0.900000"), True)
    assert "90.0%" in response.content.decode()


def test_the_dashboard_reads_the_stored_verdict(exact, client, bureau_official):
    # A snapshot computed the old way: 360,008 / 400,009 rounded up to 0.900000 but judged missed.
    IndicatorSnapshot.objects.create(
        date=DAY, scope_type=ScopeType.DISTRICT, scope_key="district", indicator=SHARE,
        numerator=360_008, denominator=400_009, value=Decimal("0.900000"), target=NINETY, met=False,
    )  # fmt: skip
    share = client_for(client, bureau_official).get("/dashboard/").context["board"].headline[-1]
    assert (share.indicator, share.met, share.chaoyang.value) == (SHARE, False, NINETY)


def test_a_snapshot_without_a_stored_target_is_judged_on_its_fraction(exact, client, bureau_official):
    # Written before the target existed (no target, no verdict stored): the same exact rule.
    IndicatorSnapshot.objects.create(
        date=DAY, scope_type=ScopeType.DISTRICT, scope_key="district", indicator=SHARE,
        numerator=360_008, denominator=400_009, value=Decimal("0.900000"),
    )  # fmt: skip
    share = client_for(client, bureau_official).get("/dashboard/").context["board"].headline[-1]
    assert (share.indicator, share.met) == (SHARE, False)


def test_the_api_gives_the_cut_value_and_the_verdict(computed, api_client, bureau_official):
    api_client.force_authenticate(user=bureau_official)
    rows = api_client.get("/api/indicators/", {"indicator": SHARE, "scope_type": ScopeType.DISTRICT}).json()["results"]
    assert [(r["value"], r["met"]) for r in rows] == [("0.899999", False)]


def test_the_export_shows_every_stored_place(computed, client, bureau_official):
    response = client_for(client, bureau_official).get(reverse("reports:indicator_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    row = next(
        r for r in sheet.iter_rows(min_row=2) if r[header.index("指标代码")].value == SHARE and r[3].value == "全区"
    )
    value = row[header.index("指标值")]
    # Six places: 0.899999 must not display as 0.9000.
    assert (value.value, value.number_format) == (0.899999, "0.000000")
    assert row[header.index("指标值（显示）")].value == "89.9%"
    assert row[header.index("达到朝阳区目标")].value == "否"


def test_the_pdf_report_marks_the_district_missed_and_lists_the_subdistrict(computed):
    context = report_context(date=DAY)
    section = next(s for s in context["sections"] if s["figure"].indicator == SHARE)
    assert section["short_names"] == ["太阳宫"]
    # The bar chart: one red bar, 太阳宫's, whatever the values say beside the target line.
    assert len(re.findall(r'<rect [^>]*fill="#c0392b"', str(section["bars"]))) == 1
    html = render_report_html(date=DAY)
    assert "89.9%" in html and "未达朝阳区目标" in html


# --- the documentation's examples are what the portal prints -------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"
EXAMPLE = re.compile(r"^\| ([\d,]+) / ([\d,]+) \| [^|]+ \| `(0\.\d{6})` \| ([\d.]+) % \| (met|not met) \|$", re.M)


def test_the_documented_examples_match_what_is_printed():
    examples = EXAMPLE.findall(DOC.read_text(encoding="utf-8"))
    assert len(examples) >= 4, "the worked examples of docs/indicators.md (Values and targets) are gone"
    for numerator, denominator, stored, shown, verdict in examples:
        n, d = int(numerator.replace(",", "")), int(denominator.replace(",", ""))
        value = _ratio(n, d)
        assert str(value) == stored, (numerator, denominator)
        assert percent(value) == f"{shown}%", (numerator, denominator)
        assert meets(Comparison.AT_LEAST, NINETY, n, d, ratio=True) is (verdict == "met"), (numerator, denominator)
    assert "43.7 %" not in DOC.read_text(encoding="utf-8")


# --- every other place that prints a share uses the same cut -------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "printed"),
    [
        (360_008, 400_009, "89.9%"),
        (899_999, 1_000_000, "89.9%"),
        (900_000, 1_000_000, "90.0%"),
        (9_000_008, 10_000_009, "89.9%"),
    ],
)
def test_the_scorecard_prints_the_cut_value(exact, numerator, denominator, printed):
    from reports.scorecards import display_value

    assert display_value(SHARE, _ratio(numerator, denominator)) == printed


def test_the_submission_tracker_cuts_its_reporting_rate():
    from enrollment.selectors import percent as tracker_percent

    assert str(tracker_percent(9_999, 10_000)) == "99.9"  # not 100.0
    assert str(tracker_percent(899_999, 1_000_000)) == "89.9"
    assert tracker_percent(1, 0) is None


# --- the engine's integer shortcuts give what the exact definitions give --------------------------

AWKWARD_FRACTIONS = [
    (0, 5),
    (5, 5),
    (7, 3),
    (360_008, 400_009),
    (360_009, 400_010),
    (9_000_008, 10_000_009),
    (999_999_999_999, 1_000_000_000_000),
    (10**14 - 1, 7),
    (1, 10**14 - 3),
]


@pytest.mark.parametrize(("numerator", "denominator"), AWKWARD_FRACTIONS)
def test_the_integer_cut_is_the_decimal_cut(numerator, denominator):
    decimal_cut = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.000001"), rounding=ROUND_DOWN)
    value = _ratio(numerator, denominator)
    assert (str(value), value.as_tuple()) == (str(decimal_cut), decimal_cut.as_tuple())
    assert str(_ratio(Decimal(numerator), Decimal(denominator))) == str(decimal_cut)  # the Decimal path


@pytest.mark.parametrize("comparison", [Comparison.AT_LEAST, Comparison.AT_MOST])
@pytest.mark.parametrize("target", [Decimal("0.9000"), Decimal("0.0000"), Decimal("1.2345"), Decimal("3")])
def test_the_engines_verdict_is_meets(comparison, target):
    judge = _Verdict(Target(indicator=SHARE, authority=Authority.CHAOYANG, comparison=comparison, value=target))
    for numerator, denominator in [*AWKWARD_FRACTIONS, (0, 0), (3, 0), (12_345, 10_000), (3, 1)]:
        for ratio in (True, False):
            expected = meets(comparison, target, numerator, denominator, ratio=ratio)
            assert judge(numerator, denominator, ratio) is expected, (numerator, denominator, ratio)
        assert judge(Decimal(numerator), Decimal(denominator), True) is meets(
            comparison, target, Decimal(numerator), Decimal(denominator), ratio=True
        )
