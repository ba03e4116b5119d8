"""Geometry for the server-rendered SVG bar charts of the stats page (no JS, no inline style)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 200
LEFT, BOTTOM, TOP = 36, 22, 8


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    css: str
    title: str


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rects: list[Rect]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    baseline: float
    total: int
    label: str


def _nice_max(value: int) -> int:
    if value <= 4:
        return 4
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * ((value + step - 1) // step)
    return value


def stacked_bars(
    days: list[dt.date],
    series: list[tuple[str, str, list[int]]],
    *,
    label: str,
    tick_every: int = 5,
) -> Chart:
    """One bar per day, stacked by series (name, css class, values per day)."""
    n = max(1, len(days))
    totals = [sum(s[2][i] for s in series) for i in range(len(days))]
    top = _nice_max(max(totals, default=0))
    plot_w, plot_h = WIDTH - LEFT - 4, HEIGHT - BOTTOM - TOP
    slot = plot_w / n
    bar_w = max(1.0, slot * 0.75)
    rects = []
    for i, day in enumerate(days):
        y = HEIGHT - BOTTOM
        for name, css, values in series:
            value = values[i]
            if not value:
                continue
            h = plot_h * value / top
            y -= h
            rects.append(
                Rect(
                    x=round(LEFT + i * slot + (slot - bar_w) / 2, 2),
                    y=round(y, 2),
                    w=round(bar_w, 2),
                    h=round(h, 2),
                    css=css,
                    title=f"{day:%a %d %b}: {value} {name}",
                )
            )
    x_ticks = [
        Tick(x=round(LEFT + i * slot + slot / 2, 2), y=HEIGHT - 6, label=f"{day:%d %b}")
        for i, day in enumerate(days)
        if i % tick_every == 0
    ]
    y_ticks = [
        Tick(x=LEFT - 4, y=round(HEIGHT - BOTTOM - plot_h * k / 4, 2), label=str(top * k // 4))
        for k in range(5)
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        rects=rects,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        baseline=HEIGHT - BOTTOM,
        total=sum(totals),
        label=label,
    )
