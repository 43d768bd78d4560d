"""The windows timeline: each window from its start to polling day, lead-in shaded, the as-of date marked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..text import short_date

WIDTH = 960
LEFT, RIGHT = 16, 16
ROW = 64
TOP = 40
PADDING_DAYS = 4


@dataclass(frozen=True)
class Bar:
    """One window drawn on the timeline."""

    id: str
    name: str
    status: str
    y: int
    lead_in_x: float
    start_x: float
    end_x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    """Everything the SVG needs, in pixels."""

    width: int
    height: int
    bars: list[Bar]
    as_of_x: float
    as_of_label: str
    first_label: str
    last_label: str


def timeline(windows, as_of: dt.date, lead_in_days: int) -> Timeline | None:
    """The timeline of the dated ``windows``, or None when none has dates (``--in-window``)."""
    dated = [w for w in windows if w.start is not None and w.end is not None]
    if not dated:
        return None
    lead = dt.timedelta(days=lead_in_days)
    first = min([as_of, *(w.start - lead for w in dated)]) - dt.timedelta(days=PADDING_DAYS)
    last = max([as_of, *(w.end for w in dated)]) + dt.timedelta(days=PADDING_DAYS)
    span = max((last - first).days, 1)

    def x(day: dt.date, end_of_day: bool = False) -> float:
        days = (day - first).days + (1 if end_of_day else 0)
        return round(LEFT + (WIDTH - LEFT - RIGHT) * days / span, 1)

    bars = [Bar(w.id, w.name, w.status(as_of, lead_in_days), TOP + ROW * number, x(w.start - lead), x(w.start),
                x(w.end, end_of_day=True), f"{w.id}: {w.describe_dates()}")
            for number, w in enumerate(sorted(dated, key=lambda w: (w.start, w.id)))]
    return Timeline(WIDTH, TOP + ROW * len(bars) + 24, bars, x(as_of) + 0.5, f"as of {short_date(as_of)}",
                    short_date(first), short_date(last))
