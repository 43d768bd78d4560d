"""The built-in UK election calendar, turned into the windows that bind one organisation.

Who is bound and from when follows GUIDANCE: councils, combined authorities, police bodies, NHS
and other public bodies from the notice-of-election deadline; UK, Welsh and Scottish Government
from three weeks before local, mayoral and PCC polls; general and devolved parliamentary
elections from the dissolution or recess date in the calendar. A start set in config wins.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..model import PurdahError, Record
from ..ruleset import cache
from ..run.config import Config, WindowSetting
from .windows import Window, topics_for

LOCAL_KINDS = frozenset({"local", "mayor", "pcc", "gla"})
GOVERNMENT_REGIONS = {"welsh-government": "wales", "scottish-government": "scotland"}
DEVOLVED_PARLIAMENTS = {"senedd": "wales", "sp": "scotland", "nia": "northern-ireland"}
REFERENDUM_DAYS = 28
_ID_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Election:
    """One poll in the calendar (or added in config)."""

    id: str
    name: str
    poll: dt.date
    status: str = "scheduled"
    regions: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    excluded_areas: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    start: dt.date | None = None
    start_source: str | None = None
    end: dt.date | None = None

    @property
    def kind(self) -> str:
        """The election type at the front of the id: local, mayor, pcc, parl, senedd, …"""
        return self.id.split(".", 1)[0]


@dataclass(frozen=True)
class Organisation:
    """Who is publishing: the type and where it is."""

    type: str | None = None
    region: str | None = None
    areas: tuple[str, ...] = ()  # as configured, with the areas they sit in (see organisations.py)
    settings: tuple[WindowSetting, ...] = field(default_factory=tuple)
    calendar_files: tuple[str, ...] = ()  # imported calendars, read after the built-in one


INACTIVE = frozenset({"cancelled", "replaced"})  # kept in calendars as a record, never a window


def organisation_of(config: Config) -> Organisation:
    """The organisation a config describes; its areas are checked and widened to those they sit in."""
    from .organisations import check_areas, with_parents

    files = tuple(config.calendar_files)
    if config.areas:
        named = {area for election in load_elections(files) for area in (*election.areas, *election.excluded_areas)}
        named |= {area for setting in config.windows for area in setting.areas}
        check_areas(config.areas, named, f"{config.path or 'config'}: areas")
    return Organisation(config.organisation_type, config.region, with_parents(tuple(config.areas)),
                        tuple(config.windows), files)


def poll_date(election_id: str) -> dt.date | None:
    """The polling day at the end of a Democracy Club election id."""
    found = _ID_DATE.search(election_id)
    return dt.date.fromisoformat(found.group(1)) if found else None


def calendar_files() -> list[Path]:
    """The calendar data files: elections, the project's bank holidays, and the organisations."""
    folder = Path(__file__).parent / "data"
    return [folder / "elections.yaml", folder / "bank-holidays.yaml", folder / "organisations.yaml"]


def load_elections(extra_files: tuple[str, ...] = ()) -> list[Election]:
    """Every election in the built-in calendar, then in ``extra_files``; a later entry replaces an earlier one."""
    import yaml

    with open(calendar_files()[0], encoding="utf-8") as handle:
        entries = yaml.safe_load(handle)["elections"]
    if extra_files:
        from .calendar_files import read_calendar_file

        by_id = {entry["id"]: entry for entry in entries}
        for path in extra_files:
            by_id.update((entry["id"], entry) for entry in read_calendar_file(Path(path)))
        entries = list(by_id.values())
    elections = []
    for entry in entries:
        poll = poll_date(entry["id"])
        elections.append(Election(
            id=entry["id"], name=entry["name"], poll=poll, status=entry.get("status", "scheduled"),
            regions=tuple(entry.get("regions", ())), areas=tuple(entry.get("areas", ())),
            excluded_areas=tuple(entry.get("excluded_areas", ())),
            topics=tuple(entry.get("topics", ())) or topics_for(entry["id"]),
            start=entry.get("start"), start_source=entry.get("start_source"), end=entry.get("end"),
        ))
    return elections


def calendar_windows(extra_files: tuple[str, ...] = ()) -> list[Window]:
    """Every calendar election as a window without dates, for ``--window ID``."""
    return [Window(e.id, e.name, None, None, "calendar", ",".join(e.regions) or None, e.areas, e.topics, e.status)
            for e in load_elections(extra_files) if e.status not in INACTIVE]


def binds(election: Election, organisation: Organisation) -> bool:
    """Whether the election's pre-election period applies to this organisation."""
    if organisation.type == "uk-government":
        return True
    if organisation.type in GOVERNMENT_REGIONS:
        return GOVERNMENT_REGIONS[organisation.type] in election.regions
    if organisation.region and election.regions and organisation.region not in election.regions:
        return False
    areas = set(organisation.areas)
    if areas & set(election.excluded_areas):
        return False
    return not election.areas or bool(areas & set(election.areas))


def window_start(election: Election, organisation: Organisation) -> tuple[dt.date, str]:
    """When the window opens for this organisation, and how that was worked out."""
    if election.kind == "ref":
        return election.poll - dt.timedelta(days=REFERENDUM_DAYS), "fixed"
    government = organisation.type in ("uk-government", *GOVERNMENT_REGIONS)
    if government and election.kind in LOCAL_KINDS:
        return election.poll - dt.timedelta(days=21), "three-week-rule"
    if election.start is not None and (government or election.kind == "parl" or election.kind in DEVOLVED_PARLIAMENTS
                                       and organisation.type == _devolved_government(election)):
        return election.start, election.start_source or "fixed"
    # A general election without a set date (an expected one) opens at the latest at its notice.
    return notice_of_election(election, organisation.region), "notice-of-election"


def _devolved_government(election: Election) -> str | None:
    region = DEVOLVED_PARLIAMENTS.get(election.kind)
    return next((name for name, place in GOVERNMENT_REGIONS.items() if place == region), None)


def notice_of_election(election: Election, region: str | None) -> dt.date:
    """The latest date for the notice of election, with the project's bank holidays after 2028."""
    from uk_election_timetables.calendars import Country
    from uk_election_timetables.election_ids import from_election_id

    countries = {"england": Country.ENGLAND, "wales": Country.WALES, "scotland": Country.SCOTLAND,
                 "northern-ireland": Country.NORTHERN_IRELAND}
    place = region if region in election.regions or not election.regions else election.regions[0]
    try:
        timetable = from_election_id(election.id, country=countries.get(place or "england", Country.ENGLAND))
        timetable.BANK_HOLIDAY_CALENDAR = _holidays()
        return timetable.notice_of_election_deadline
    except (NotImplementedError, ValueError, KeyError, AttributeError) as exc:
        raise PurdahError(f"{election.id}: cannot compute the notice-of-election date ({exc}); "
                          "set 'start' for it in [[tool.purdah-lint.windows]]") from None


_HOLIDAYS = None


def _holidays():
    """The library's bank holidays, extended with the project's own for 2029 and 2030."""
    global _HOLIDAYS
    if _HOLIDAYS is None:
        import yaml
        from uk_election_timetables.calendars import BankHolidayCalendar, BaseCalendar, UnitedKingdomBankHolidays

        with open(calendar_files()[1], encoding="utf-8") as handle:
            extra = yaml.safe_load(handle)

        class Combined(BaseCalendar):
            def __init__(self, *calendars):
                self.calendars = calendars

            def exempted_dates(self):
                return [day for calendar in self.calendars for day in calendar.exempted_dates()]

        class Extended(UnitedKingdomBankHolidays):
            def __init__(self):
                super().__init__()
                self.extra = {country: BankHolidayCalendar([{"date": str(e["date"]), "title": e["title"]}
                                                             for e in events]) for country, events in extra.items()}

            def from_country(self, country):
                key = {"ENGLAND": "england-and-wales", "WALES": "england-and-wales",
                       "NORTHERN_IRELAND": "northern-ireland"}.get(country.name, "scotland")
                return Combined(super().from_country(country), self.extra[key])

        _HOLIDAYS = Extended()
    return _HOLIDAYS


def resolve_windows(organisation: Organisation) -> list[Window]:
    """The windows binding the organisation: calendar ones (when its type is set) plus config ones."""
    key = _cache_key(organisation)
    cached = cache.read("windows", key)
    if cached is not None:
        return [Window.from_json(entry) for entry in cached]
    windows = _compute(organisation)
    cache.write("windows", key, [window.as_json() for window in windows])
    return windows


def _cache_key(organisation: Organisation) -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in (*calendar_files(), *map(Path, organisation.calendar_files)):
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"unreadable")  # reading it for real reports the error
    digest.update(json.dumps(organisation, default=_jsonable, sort_keys=True).encode())
    return digest.hexdigest()


def _jsonable(value: Any):
    if isinstance(value, (dt.date,)):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        return {name: getattr(value, name) for name in value.__dataclass_fields__}
    if isinstance(value, Record):
        return {name: getattr(value, name) for name in value.__slots__}
    raise TypeError(type(value))


def _compute(organisation: Organisation) -> list[Window]:
    elections = {e.id: e for e in load_elections(organisation.calendar_files)} if organisation.type else {}
    settings = {setting.id: setting for setting in organisation.settings}
    windows = []
    for election in elections.values():
        if election.id in settings or election.status in INACTIVE or not binds(election, organisation):
            continue
        windows.append(_window(election, organisation, None))
    for setting in organisation.settings:
        base = elections.get(setting.id) or _added(setting)
        windows.append(_window(base, organisation, setting))
    return sorted(windows, key=lambda w: (w.start, w.id))


def _added(setting: WindowSetting) -> Election:
    from .windows import valid_election_id as validate

    if not validate(setting.id):
        raise PurdahError(f"windows[{setting.index}]: {setting.id!r} is not a Democracy Club election id "
                          "(for example 'local.stockport.heaton-mersey.by.2025-06-12' or 'ref.exampleton.2025-06-12')")
    poll = setting.end or poll_date(setting.id)
    if poll is None:
        raise PurdahError(f"windows[{setting.index}] ({setting.id}): set 'end' (polling day), or use an id "
                          "ending in the polling date, such as 'local.somewhere.by.2025-06-12'")
    return Election(id=setting.id, name=setting.name or setting.id, poll=poll,
                    regions=(setting.region,) if setting.region else (), areas=setting.areas,
                    topics=setting.topics if setting.topics is not None else topics_for(setting.id))


def _window(election: Election, organisation: Organisation, setting: WindowSetting | None) -> Window:
    end = (setting.end if setting and setting.end else None) or election.end or election.poll
    if setting and setting.start:
        start, source = setting.start, "config"
    elif organisation.type is None and setting is not None:
        raise PurdahError(f"windows[{setting.index}] ({setting.id}): set 'start', or set organisation_type "
                          "so that the start can be worked out")
    else:
        start, source = window_start(election, organisation)
    if start > end:
        raise PurdahError(f"{election.id}: the window would start on {start} after it ends on {end}")
    topics = setting.topics if setting and setting.topics is not None else election.topics
    return Window(id=election.id, name=(setting.name if setting and setting.name else election.name),
                  start=start, end=end, start_source=source,
                  region=(setting.region if setting and setting.region else ",".join(election.regions) or None),
                  areas=(setting.areas if setting and setting.areas else election.areas), topics=tuple(topics),
                  election_status=election.status)


HORIZON_DAYS = 183  # six months


def calendar_runs_out(windows: list[Window], organisation: Organisation, as_of: dt.date) -> str | None:
    """A warning when the calendar holds no election for the organisation six months after ``as_of``."""
    if organisation.type is None:
        return None  # the calendar is not in use: windows come from config alone
    horizon = as_of + dt.timedelta(days=HORIZON_DAYS)
    last = max((window.end for window in windows if window.end is not None), default=None)
    if last is not None and last > horizon:
        return None
    after = f"after {last.day} {last:%B %Y}" if last else "at all"
    return (f"the election calendar may be out of date: it holds no election for this organisation {after}, "
            f"and the as-of date is {as_of.day} {as_of:%B %Y}; add by-elections and new polls with "
            "'purdah-lint windows import' and the calendar_files setting")
