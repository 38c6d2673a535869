"""Geometry for the evidence pack's SVG charts, computed here so the templates only draw."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

WIDTH, BAR_HEIGHT, LINE_HEIGHT, PAD = 320, 56, 120, 28
BAR_Y, BAR_THICKNESS = 14, 16


def threshold_bar(label: str, value: float, thresholds: list[tuple[str, float]]) -> dict[str, Any]:
    """A horizontal bar of `value` with a tick at each tier's threshold, scaled to the next one above it."""
    above = [t for _, t in thresholds if t > value]
    scale = max(value, min(above) if above else max([value, *(t for _, t in thresholds)], default=1), 1) * 1.1
    span = WIDTH - 2 * PAD

    def x(v: float) -> float:
        return round(PAD + span * v / scale, 1)

    return {
        "title": label,
        "description": f"{label}: {value}; " + "; ".join(f"{tier} needs {t}" for tier, t in thresholds) + ".",
        "width": WIDTH,
        "height": BAR_HEIGHT,
        "x0": PAD,
        "y": BAR_Y,
        "thickness": BAR_THICKNESS,
        "track_width": span,
        "bar_width": round(x(value) - PAD, 1),
        "value": value,
        "value_x": x(value),
        "label_y": BAR_Y - 4,
        "tick_y1": BAR_Y - 4,
        "tick_y2": BAR_Y + BAR_THICKNESS + 4,
        "tick_label_y": BAR_HEIGHT - 8,
        "ticks": [{"x": x(t), "label": f"{tier} {t}"} for tier, t in thresholds if t <= scale],
    }


def month_line(
    label: str, points: list[tuple[date, float]], threshold: tuple[str, float] | None
) -> dict[str, Any]:
    """A line of the metric at each month-end, with the next tier's threshold as a dashed rule."""
    top = max([v for _, v in points] + ([threshold[1]] if threshold else []) + [1]) * 1.1
    span_x, span_y = WIDTH - 2 * PAD, LINE_HEIGHT - 2 * PAD
    step = span_x / max(len(points) - 1, 1)
    baseline = LINE_HEIGHT - PAD

    def y(v: float) -> float:
        return round(baseline - span_y * v / top, 1)

    dots: list[dict[str, Any]] = [
        {"x": round(PAD + i * step, 1), "y": y(v), "value": v, "day": d.isoformat()}
        for i, (d, v) in enumerate(points)
    ]
    end = None if not dots else {**dots[-1], "label_y": round(dots[-1]["y"] - 6, 1)}
    return {
        "title": label,
        "description": f"{label} at each month-end: "
        + ", ".join(f"{d.isoformat()}: {v}" for d, v in points)
        + (f". {threshold[0]} needs {threshold[1]}." if threshold else "."),
        "width": WIDTH,
        "height": LINE_HEIGHT,
        "points": " ".join(f"{p['x']},{p['y']}" for p in dots),
        "dots": dots,
        "threshold": None
        if threshold is None
        else {
            "y": y(threshold[1]),
            "label_y": round(y(threshold[1]) - 4, 1),
            "label": f"{threshold[0]} {threshold[1]}",
            "x1": PAD,
            "x2": WIDTH - PAD,
        },
        "end": end,
        "first": dots[0]["day"] if dots else "",
        "last": dots[-1]["day"] if dots else "",
        "baseline": baseline,
        "axis_label_y": baseline + 16,
        "title_y": 14,
        "x1": PAD,
        "x2": WIDTH - PAD,
    }


DAILY_WIDTH, DAILY_HEIGHT, DAILY_PAD_X, DAILY_PAD_TOP, DAILY_PAD_BOTTOM = 640, 180, 36, 24, 34


def _steps(values: Sequence[float | None], x: Any, y: Any) -> list[str]:
    """Polylines of a daily series drawn as steps, one per run of days that have a value."""
    lines: list[list[str]] = []
    run: list[str] = []
    prev: float | None = None
    for i, v in enumerate([*values, None]):
        if v != prev or v is None:
            if prev is not None:
                run.append(f"{x(i)},{y(prev)}")
            if v is None:
                if run:
                    lines.append(run)
                run = []
            else:
                run.append(f"{x(i)},{y(v)}")
        prev = v
    return [" ".join(r) for r in lines]


def _changes(first: date, values: Sequence[float | None]) -> str:
    """'0 from 2025-11-26, 12 from 2026-06-15': the series in words, one entry a change."""
    out, prev = [], None
    for i, v in enumerate(values):
        if v is not None and v != prev:
            out.append(f"{v} from {date.fromordinal(first.toordinal() + i).isoformat()}")
        prev = v
    return ", ".join(out)


def daily_line(
    label: str,
    first: date,
    values: Sequence[float | None],
    thresholds: list[tuple[str, list[float | None]]],
    today: int,
    lost: int | None,
) -> dict[str, Any]:
    """A metric on every day as a step line, each tier's threshold as a dashed step, the as-of day and
    the day the tier would be lost as vertical rules."""
    n = len(values)
    top = max([v or 0 for v in values] + [t or 0 for _, ts in thresholds for t in ts] + [1]) * 1.15
    span_x = DAILY_WIDTH - 2 * DAILY_PAD_X
    baseline = DAILY_HEIGHT - DAILY_PAD_BOTTOM
    span_y = baseline - DAILY_PAD_TOP

    def x(i: float) -> float:
        return round(DAILY_PAD_X + span_x * i / max(n, 1), 1)

    def y(v: float) -> float:
        return round(baseline - span_y * v / top, 1)

    def day(i: int) -> str:
        return date.fromordinal(first.toordinal() + i).isoformat()

    rules = []
    for tier, ts in thresholds:
        last = next((t for t in reversed(ts) if t is not None), None)
        rules.append(
            {
                "lines": _steps(ts, x, y),
                "label": f"{tier} needs {last}",
                "label_y": round(y(last or 0) - 4, 1),
            }
        )
    now = values[today] if 0 <= today < n else None
    return {
        "title": label,
        "description": f"{label} each day from {day(0)} to {day(n - 1)}: {_changes(first, values)}. "
        + " ".join(f"{r['label']}." for r in rules),
        "width": DAILY_WIDTH,
        "height": DAILY_HEIGHT,
        "lines": _steps(values, x, y),
        "thresholds": rules,
        "x1": DAILY_PAD_X,
        "x2": DAILY_WIDTH - DAILY_PAD_X,
        "baseline": baseline,
        "top": DAILY_PAD_TOP - 8,
        "axis_label_y": baseline + 14,
        "marker_label_y": baseline + 28,
        "title_y": 14,
        "first": day(0),
        "last": day(n - 1),
        "today": {"x": x(today + 0.5), "label": f"{day(today)}: {now}", "value_y": y(now or 0)},
        "lost": None
        if lost is None
        else {"x": x(lost), "label": f"lost {day(lost)}", "anchor": "end" if lost > n / 2 else "start"},
    }


DIST_BARS, DIST_ROW, DIST_LABEL, DIST_CHAR = 290, 26, 110, 6.5  # a label's room grows with its longest


def distribution_bars(counts: list[tuple[str, int, int]], total: int) -> dict[str, Any]:
    """One horizontal bar per tier: the firms eligible for it, scaled to the largest tier."""
    top = max([c for _, c, _ in counts] + [1])
    label_width = max([DIST_LABEL] + [round(8 + DIST_CHAR * len(label)) for label, _, _ in counts])
    span = DIST_BARS - 80
    rows = []
    for i, (label, eligible, standing) in enumerate(counts):
        share = round(100 * eligible / total, 1) if total else 0.0
        width = round(span * eligible / top, 1)
        rows.append(
            {
                "label": label,
                "eligible": eligible,
                "standing": standing,
                "percent": share,
                "y": 8 + i * DIST_ROW,
                "text_y": 8 + i * DIST_ROW + 13,
                "width": width,
                "value_x": round(label_width + width + 6, 1),
            }
        )
    return {
        "width": label_width + DIST_BARS,
        "height": 16 + len(counts) * DIST_ROW,
        "x0": label_width,
        "label_x": label_width - 8,
        "bar_height": 16,
        "rows": rows,
        "description": "Firms by the tier they are eligible for: "
        + "; ".join(f"{r['label']} {r['eligible']} ({r['percent']}%)" for r in rows)
        + ".",
    }
