"""Small SVG chart builders for PDF documents (the indicator report, the evaluation report).

WeasyPrint runs no JavaScript, so the ECharts charts of the dashboard cannot be printed; these
functions draw the same pictures (a bar per sub-district against a target line, a trend line,
demand against seats) as plain SVG on the server. Every label is escaped; the result is safe to
place in a template as it is. `FONT` and the colours are public so that a document drawing a
chart of its own matches these.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

FONT = "Noto Sans CJK SC, Source Han Sans SC, sans-serif"
BLUE = "#2f6fbf"
RED = "#c0392b"
GREEN = "#1f8a4c"
GREY = "#6b7785"
LINE = "#dde3ea"
ORANGE = "#b7791f"


@dataclass(frozen=True)
class TargetMark:
    """A horizontal (or, in bar charts, vertical) reference line: a target or a standard."""

    label: str
    value: float
    color: str = RED


def _text(x: float, y: float, text: str, *, size: int = 10, anchor: str = "start", color: str = "#1f2933") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{color}" '
        f'font-family="{FONT}">{escape(text)}</text>'
    )


def _svg(width: float, height: float, body: list[str]) -> SafeString:
    # Safe: every piece of text in `body` went through escape().
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" class="chart">' + "".join(body) + "</svg>"
    )


def nice_step(span: float, ticks: int = 4) -> float:
    """A round tick step (1, 2, 2.5 or 5 × 10^n) that covers `span` in about `ticks` steps."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    exponent = math.floor(math.log10(raw))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10**exponent
        if candidate >= raw - 1e-12:
            return float(candidate)
    return float(10 ** (exponent + 1))


def axis(low: float, high: float, *, ticks: int = 4, from_zero: bool = False) -> tuple[float, float, float]:
    """(minimum, maximum, step) of an axis with round ticks that holds every value in [low, high]."""
    low = 0.0 if from_zero else min(low, high)
    step = nice_step(max(high - low, abs(high) * 0.02, 1e-9), ticks)
    axis_min = math.floor(low / step + 1e-9) * step
    axis_max = math.ceil(high / step - 1e-9) * step
    if axis_max <= axis_min:
        axis_max = axis_min + step
    return axis_min, axis_max, step


def _ticks(axis_min: float, axis_max: float, step: float) -> list[float]:
    count = round((axis_max - axis_min) / step)
    return [axis_min + step * i for i in range(count + 1)]


def format_value(value: float | None, *, percent: bool) -> str:
    if value is None:
        return "—"
    if percent:
        # Cut, not rounded, like the pages' percentages (the report_format filter): 89.96 % is not 90.0 %.
        return f"{math.floor(round(value * 1000, 6)) / 10:.1f}%"
    return f"{value:,.0f}"


def bar_chart(
    bars: Sequence[tuple[str, float | None]],
    *,
    target: TargetMark | None = None,
    short: Sequence[bool] | None = None,
    percent: bool = True,
    width: int = 680,
    row_height: int = 13,
) -> SafeString:
    """Horizontal bars, one per label, with the target as a dashed vertical line.

    Bars short of the target are red, the others blue; a scope without a value (zero
    denominator) shows "—" and no bar. `short` gives each bar's verdict where the caller has one
    (an indicator's stored `met`, decided on the exact fraction); without it a bar is short when
    its value is below the target line.
    """
    label_width, value_width, top, bottom = 96, 52, 22, 18
    plot_width = width - label_width - value_width
    height = top + bottom + row_height * max(len(bars), 1)
    values = [v for _, v in bars if v is not None]
    _, axis_max, step = axis(0.0, max([*values, target.value if target else 0, 1e-9]), ticks=5, from_zero=True)

    def x_of(value: float) -> float:
        return label_width + plot_width * min(max(value, 0) / axis_max, 1)

    body = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>']
    for tick in _ticks(0.0, axis_max, step):
        x = x_of(tick)
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - bottom}" stroke="{LINE}"/>')
        body.append(_text(x, height - 5, format_value(tick, percent=percent), size=8, anchor="middle", color=GREY))
    if target is not None:
        # Drawn under the bars and their labels, so the line never hides a value.
        x = x_of(target.value)
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - bottom}" stroke="{target.color}" '
            'stroke-width="1.2" stroke-dasharray="4,3"/>'
        )
        body.append(
            _text(
                x,
                top - 9,
                f"{target.label} {format_value(target.value, percent=percent)}",
                size=9,
                anchor="middle",
                color=target.color,
            )
        )
    for index, (label, value) in enumerate(bars):
        y = top + index * row_height
        body.append(_text(label_width - 6, y + row_height * 0.72, label, size=9, anchor="end"))
        if value is None:
            body.append(_text(label_width + 4, y + row_height * 0.72, "—", size=9, color=GREY))
            continue
        missed = short[index] if short is not None else target is not None and value < target.value
        bar_width = max(x_of(value) - label_width, 0.5)
        body.append(
            f'<rect x="{label_width}" y="{y + 2:.1f}" width="{bar_width:.1f}" height="{row_height - 4}" '
            f'fill="{RED if missed else BLUE}"/>'
        )
        label = format_value(value, percent=percent)
        label_x = label_width + bar_width + 3
        body.append(
            f'<rect x="{label_x:.1f}" y="{y + 2:.1f}" width="{len(label) * 4.8 + 2:.1f}" '
            f'height="{row_height - 4}" fill="#fff"/>'
        )
        body.append(_text(label_x + 1, y + row_height * 0.72, label, size=8, color=RED if missed else "#1f2933"))
    return _svg(width, height, body)


def line_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    targets: Sequence[TargetMark] = (),
    percent: bool = True,
    width: int = 680,
    height: int = 180,
) -> SafeString:
    """A trend line over dated snapshots with each target as a dashed horizontal line.

    Dates without a value leave a gap rather than dropping to zero.
    """
    left, right, top, bottom = 48, 150, 14, 30
    plot_width, plot_height = width - left - right, height - top - bottom
    values = [v for _, v in points if v is not None] + [t.value for t in targets]
    low = min(values, default=0.0)
    high = max(values, default=1.0)
    # Shares close together (80 %–95 %) read better on a cut axis; counts start at zero.
    pad = max((high - low) * 0.1, abs(high) * 0.01)
    axis_min, axis_max, step = axis(low - pad, high + pad, from_zero=not percent)
    axis_min = max(axis_min, 0.0)

    def y_of(value: float) -> float:
        return top + plot_height * (1 - (value - axis_min) / (axis_max - axis_min))

    def x_of(index: int) -> float:
        if len(points) <= 1:
            return left + plot_width / 2
        return left + plot_width * index / (len(points) - 1)

    body = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>']
    for tick in _ticks(axis_min, axis_max, step):
        y = y_of(tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_width}" y2="{y:.1f}" stroke="{LINE}"/>')
        body.append(_text(left - 4, y + 3, format_value(tick, percent=percent), size=8, anchor="end", color=GREY))
    # Show at most about eight date labels so they never overlap.
    label_every = max(1, math.ceil(len(points) / 8))
    for index, (label, _) in enumerate(points):
        if index % label_every == 0 or index == len(points) - 1:
            body.append(_text(x_of(index), height - bottom + 14, label, size=8, anchor="middle", color=GREY))
    # Equal targets (Chaoyang's and the national public share are both 50 %) would print their
    # labels on top of each other: keep each label at least 11 px below the one above it.
    label_ys: list[float] = []
    for mark in sorted(targets, key=lambda m: -m.value):
        y = y_of(mark.value)
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_width}" y2="{y:.1f}" stroke="{mark.color}" '
            'stroke-width="1.1" stroke-dasharray="4,3"/>'
        )
        label_y = max(y + 3, label_ys[-1] + 11) if label_ys else y + 3
        label_ys.append(label_y)
        body.append(
            _text(
                left + plot_width + 6,
                label_y,
                f"{mark.label} {format_value(mark.value, percent=percent)}",
                size=8,
                color=mark.color,
            )
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, (_, value) in enumerate(points):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x_of(index):.1f},{y_of(value):.1f}")
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            body.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
    for index, (_, value) in enumerate(points):
        if value is not None:
            body.append(f'<circle cx="{x_of(index):.1f}" cy="{y_of(value):.1f}" r="2.6" fill="{BLUE}"/>')
    last = next(((i, v) for i, (_, v) in reversed(list(enumerate(points))) if v is not None), None)
    if last is not None:
        index, value = last
        body.append(_text(x_of(index), y_of(value) - 6, format_value(value, percent=percent), size=9, anchor="middle"))
    return _svg(width, height, body)


def grouped_bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float | None]]],
    *,
    width: int = 680,
    height: int = 220,
) -> SafeString:
    """Vertical bars per category, one per series (name, colour, values), with a legend."""
    left, right, top, bottom = 56, 12, 26, 26
    plot_width, plot_height = width - left - right, height - top - bottom
    values = [v for _, _, vs in series for v in vs if v is not None]
    _, axis_max, step = axis(0.0, max([*values, 1]), from_zero=True)

    def y_of(value: float) -> float:
        return top + plot_height * (1 - max(value, 0) / axis_max)

    body = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>']
    for tick in _ticks(0.0, axis_max, step):
        y = y_of(tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_width}" y2="{y:.1f}" stroke="{LINE}"/>')
        body.append(_text(left - 4, y + 3, format_value(tick, percent=False), size=8, anchor="end", color=GREY))
    legend_x = left
    for name, color, _ in series:
        body.append(f'<rect x="{legend_x}" y="6" width="10" height="10" fill="{color}"/>')
        body.append(_text(legend_x + 14, 15, name, size=9))
        legend_x += 24 + 11 * len(name)
    group_width = plot_width / max(len(categories), 1)
    bar_width = group_width * 0.7 / max(len(series), 1)
    for c_index, category in enumerate(categories):
        group_left = left + c_index * group_width + group_width * 0.15
        body.append(
            _text(left + (c_index + 0.5) * group_width, height - bottom + 14, category, size=9, anchor="middle")
        )
        for s_index, (_, color, series_values) in enumerate(series):
            value = series_values[c_index] if c_index < len(series_values) else None
            if value is None:
                continue
            x = group_left + s_index * bar_width
            y = y_of(value)
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_width - 2:.1f}" height="{top + plot_height - y:.1f}" '
                f'fill="{color}"/>'
            )
            body.append(
                _text(x + (bar_width - 2) / 2, y - 3, format_value(value, percent=False), size=7, anchor="middle")
            )
    return _svg(width, height, body)


def histogram(
    values: Sequence[float | None],
    *,
    short: Sequence[bool],
    target: TargetMark | None = None,
    percent: bool = True,
    width: int = 680,
    height: int = 170,
    bands: int = 8,
) -> SafeString:
    """How many scopes (sub-districts) fall in each value band, as columns.

    Readable whatever the number of scopes: its size depends on the bands, not on the scopes.
    Each column is stacked: red for the scopes short of the target (`short`, the caller's exact
    verdict per value), blue for the others; the target is a dashed vertical line. Scopes without
    a value are in no band (the caller says how many).
    """
    left, right, top, bottom = 40, 12, 22, 32
    plot_width, plot_height = width - left - right, height - top - bottom
    present = [(v, s) for v, s in zip(values, short, strict=True) if v is not None]
    low = min((v for v, _ in present), default=0.0)
    high = max((v for v, _ in present), default=1.0)
    start, end, step = axis(low, high, ticks=bands, from_zero=not percent)
    start = max(start, 0.0)
    count = max(round((end - start) / step), 1)
    missed, met = [0] * count, [0] * count
    for value, is_short in present:
        index = min(int((value - start) / step + 1e-9), count - 1)
        (missed if is_short else met)[index] += 1
    _, y_max, y_step = axis(0.0, max([*(a + b for a, b in zip(missed, met, strict=True)), 1]), from_zero=True)
    y_step = max(y_step, 1.0)  # whole sub-districts

    def x_of(value: float) -> float:
        return left + plot_width * (value - start) / (end - start)

    def y_of(value: float) -> float:
        return top + plot_height * (1 - value / y_max)

    body = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>']
    for tick in _ticks(0.0, y_max, y_step):
        y = y_of(tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_width}" y2="{y:.1f}" stroke="{LINE}"/>')
        body.append(_text(left - 4, y + 3, f"{tick:.0f}", size=8, anchor="end", color=GREY))
    band_width = plot_width / count
    for index in range(count):
        x = left + index * band_width + 1
        base = top + plot_height
        for number, color in ((missed[index], RED), (met[index], BLUE)):
            if number:
                column_top = base - plot_height * number / y_max
                body.append(
                    f'<rect x="{x:.1f}" y="{column_top:.1f}" width="{band_width - 2:.1f}" '
                    f'height="{base - column_top:.1f}" fill="{color}"/>'
                )
                base = column_top
        total = missed[index] + met[index]
        if total:
            body.append(_text(x + (band_width - 2) / 2, base - 3, str(total), size=8, anchor="middle"))
    for index in range(count + 1):
        edge = start + index * step
        body.append(
            _text(x_of(edge), top + plot_height + 12, format_value(edge, percent=percent), size=8, anchor="middle",
                  color=GREY)
        )  # fmt: skip
    if target is not None and start <= target.value <= end:
        x = x_of(target.value)
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{top + plot_height}" stroke="{target.color}" '
            'stroke-width="1.2" stroke-dasharray="4,3"/>'
        )
        body.append(
            _text(x, top - 9, f"{target.label} {format_value(target.value, percent=percent)}", size=9,
                  anchor="middle", color=target.color)
        )  # fmt: skip
    return _svg(width, height, body)
