"""The SVG chart builders of the PDF documents: bars against a target, trends, grouped bars."""

from common import charts


def test_it_draws_short_bars_red_and_escapes_labels():
    svg = charts.bar_chart(
        [("望京", 0.95), ("<双井>", 0.8), ("东坝", None)],
        target=charts.TargetMark("朝阳目标", 0.9),
    )
    assert svg.startswith("<svg") and svg.count("<rect") >= 3
    assert "&lt;双井&gt;" in svg and "<双井>" not in svg
    assert f'fill="{charts.RED}"' in svg and f'fill="{charts.BLUE}"' in svg
    assert "95.0%" in svg and "80.0%" in svg and "—" in svg and "朝阳目标 90.0%" in svg


def test_it_draws_a_trend_with_gaps_and_merged_target_labels():
    svg = charts.line_chart(
        [("2025-09-01", 0.5), ("2025-10-01", None), ("2025-11-01", 0.6), ("2025-12-01", 0.62)],
        targets=[charts.TargetMark("朝阳目标", 0.5), charts.TargetMark("国家标准", 0.5, charts.ORANGE)],
    )
    # The missing month breaks the line: one lone point, then a two-point segment.
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 3
    assert "朝阳目标 50.0%" in svg and "国家标准 50.0%" in svg
    assert "62.0%" in svg


def test_it_chooses_round_axis_ticks():
    assert charts.axis(0, 1.024, ticks=5, from_zero=True) == (0.0, 1.25, 0.25)
    low, high, step = charts.axis(0.78, 0.93)
    assert step == 0.05 and low <= 0.78 and high >= 0.93
    assert charts.format_value(0.8996, percent=True) == "89.9%"  # cut, not rounded: not yet 90 %
    assert charts.format_value(12345, percent=False) == "12,345"


def test_it_draws_demand_against_seats():
    svg = charts.grouped_bar_chart(
        ["2027", "2028"], [("学位需求", charts.BLUE, [1200, 1300]), ("学位供给", charts.GREEN, [1000, 1000])]
    )
    assert "学位需求" in svg and "1,300" in svg and svg.count(f'fill="{charts.GREEN}"') == 3  # legend + 2 bars
