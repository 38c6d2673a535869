"""Geometry for the evidence pack's SVG charts, computed here so the templates only draw."""

from __future__ import annotations

from datetime import date
from typing import Any

WIDTH, BAR_HEIGHT, LINE_HEIGHT, PAD = 320, 56, 120, 28
BAR_Y, BAR_THICKNESS = 14, 16


def threshold_bar(label: str, value: float, thresholds: list[tuple[str, int]]) -> dict[str, Any]:
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
    label: str, points: list[tuple[date, float]], threshold: tuple[str, int] | None
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
