"""Server-rendered SVG chart geometry (attributes only: the CSP forbids inline styles)."""

from __future__ import annotations

from .selectors import PatternCoverage

WIDTH = 640
LABEL_W = 150
COUNT_W = 60
ROW_H = 26
BAR_H = 16


def coverage_bars(rows: list[PatternCoverage]) -> dict:
    """Per pattern: the bank as a muted bar, solved easy/medium/hard stacked on top."""
    bar_w = WIDTH - LABEL_W - COUNT_W
    biggest = max((r.bank_total for r in rows), default=0) or 1
    out = []
    for i, r in enumerate(rows):
        y = i * ROW_H
        x = LABEL_W
        segments = []
        for difficulty in ("easy", "medium", "hard"):
            n = r.solved[difficulty]
            w = bar_w * n / biggest
            if n:
                segments.append(
                    {"difficulty": difficulty, "n": n, "x": round(x, 1), "w": round(w, 1)}
                )
            x += w
        out.append(
            {
                "row": r,
                "y": y,
                "bar_y": y + (ROW_H - BAR_H) / 2,
                "text_y": y + ROW_H / 2 + 4,
                "bank_w": round(bar_w * r.bank_total / biggest, 1),
                "segments": segments,
                "count_x": WIDTH - COUNT_W + 8,
            }
        )
    return {
        "width": WIDTH,
        "height": ROW_H * len(rows) + 4,
        "label_x": LABEL_W - 8,
        "bar_x": LABEL_W,
        "bar_h": BAR_H,
        "rows": out,
    }
