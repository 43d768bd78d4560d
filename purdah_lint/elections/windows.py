"""Election windows: when the pre-election period runs, and which one a date falls in."""

from __future__ import annotations

import datetime as dt
from ..model import PurdahError, Value

TOPICS_BY_ELECTION_TYPE = {"pcc": ("policing",)}


class Window(Value):
    """One election's pre-election period, from ``start`` to polling day ``end`` inclusive."""

    __slots__ = ("id", "name", "start", "end", "start_source", "region", "areas", "topics", "election_status")

    def __init__(self, id: str, name: str, start: dt.date | None, end: dt.date | None, start_source: str = "config",
                 region: str | None = None, areas: tuple[str, ...] = (), topics: tuple[str, ...] = (),
                 election_status: str | None = None):
        self.id = id
        self.name = name
        self.start = start
        self.end = end
        self.start_source = start_source
        self.region = region
        self.areas = areas
        self.topics = topics
        self.election_status = election_status  # held | scheduled | expected, for calendar elections

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls inside the window (both ends included)."""
        if self.start is None or self.end is None:
            return True
        return self.start <= day <= self.end

    def status(self, day: dt.date, lead_in_days: int) -> str:
        """``active``, ``lead-in``, ``upcoming`` or ``past`` on ``day``."""
        if self.contains(day):
            return "active"
        if self.end is not None and day > self.end:
            return "past"
        if self.start is not None and (self.start - day).days <= lead_in_days:
            return "lead-in"
        return "upcoming"

    def describe_dates(self) -> str:
        """Human-readable dates, e.g. ``21 Mar to 2 May 2024``."""
        if self.start is None or self.end is None:
            return "treated as active"
        start_format = "%-d %b" if self.start.year == self.end.year else "%-d %b %Y"
        return f"{self.start.strftime(start_format)} to {self.end:%-d %b %Y}"

    def as_json(self) -> dict:
        """The window as it appears in JSON output."""
        return {
            "id": self.id,
            "name": self.name,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "start_source": self.start_source,
            "region": self.region,
            "areas": list(self.areas),
            "topics": list(self.topics),
            "election_status": self.election_status,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Window":
        """The window :meth:`as_json` describes."""
        return cls(id=data["id"], name=data["name"],
                   start=dt.date.fromisoformat(data["start"]) if data["start"] else None,
                   end=dt.date.fromisoformat(data["end"]) if data["end"] else None,
                   start_source=data["start_source"], region=data["region"], areas=tuple(data["areas"]),
                   topics=tuple(data["topics"]), election_status=data.get("election_status"))


IN_WINDOW = Window(id="in-window", name="Any pre-election period (--in-window)", start=None, end=None,
                   start_source="option", topics=())


def topics_for(election_id: str) -> tuple[str, ...]:
    """Topic scopes an election switches on, from the type at the front of its id."""
    return TOPICS_BY_ELECTION_TYPE.get(election_id.split(".", 1)[0], ())


def window_by_id(windows: list[Window], election_id: str, setting: str = "--window") -> Window:
    """The window with ``election_id``, treated as active whatever the date; errors name ``setting``."""
    for window in windows:
        if window.id == election_id:
            return Window(window.id, window.name, None, None, window.start_source, window.region,
                          window.areas, window.topics, window.election_status)
    known = ", ".join(w.id for w in windows) or "none configured"
    raise PurdahError(f"{setting}: no election window with id {election_id!r} (known: {known})")


def select_windows(windows: list[Window], day: dt.date, lead_in_days: int) -> tuple[list[Window], bool]:
    """Windows active on ``day``; failing that, those in their lead-in (flagged True)."""
    active = [w for w in windows if w.contains(day)]
    if active:
        return active, False
    coming = [w for w in windows if w.status(day, lead_in_days) == "lead-in"]
    return coming, bool(coming)


def valid_election_id(election_id: str) -> bool:
    """Whether ``election_id`` is a well-formed Democracy Club election id (uk-election-ids decides)."""
    import warnings

    with warnings.catch_warnings():
        # The library opens its data files at import without closing them; that is not our user's problem.
        warnings.simplefilter("ignore", ResourceWarning)
        from uk_election_ids.election_ids import validate

    return bool(validate(election_id))
