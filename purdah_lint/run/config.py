"""Configuration: ``[tool.purdah-lint]`` in pyproject.toml, or a ``.purdah-lint.toml``."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

from ..safety.display import brief
from ..elections.dates import parse_date
from ..inputs.languages import LANGUAGES
from ..model import PurdahError, Record, Value

ORGANISATION_TYPES = ("nhs", "council", "combined-authority", "police", "uk-government", "welsh-government",
                      "scottish-government", "other-public-body")
REGIONS = ("england", "wales", "scotland", "northern-ireland")
FAIL_LEVELS = ("suggestion", "warning", "error", "never")
CONFIG_NAMES = (".purdah-lint.toml", "pyproject.toml")
KEYS = ("organisation_type", "region", "areas", "lead_in_days", "windows", "as_of", "packs", "select", "ignore",
        "fail_level", "waivers", "only_central_waivers", "report_unused_waivers", "max_file_bytes",
        "max_seconds_per_file", "consultation_paths", "calendar_files", "owners", "existing_content_categories",
        "language")
MAX_LEAD_IN_DAYS = 366
MAX_SECONDS = 24 * 60 * 60
WINDOW_KEYS = ("id", "name", "start", "end", "region", "areas", "topics")
OWNER_KEYS = ("url", "team")
# What existing content (published before a window opened) is still checked for: promotion and platform.
EXISTING_CONTENT_CATEGORIES = ["consultation", "campaign", "politician", "logo-use"]


class ConfigError(PurdahError):
    """A configuration problem; the message names the file (and line where known)."""


class Config(Record):
    """Settings from a config file, with defaults where it says nothing."""

    __slots__ = ("path", "organisation_type", "region", "areas", "lead_in_days", "windows", "as_of", "packs",
                 "select", "ignore", "fail_level", "waivers", "only_central_waivers", "report_unused_waivers",
                 "consultation_paths", "max_file_bytes", "max_seconds_per_file", "calendar_files", "owners",
                 "existing_content_categories", "language")

    def __init__(self, path: str | None = None, organisation_type: str | None = None, region: str | None = None,
                 areas: list[str] | None = None, lead_in_days: int = 14, windows: list[WindowSetting] | None = None,
                 as_of: dt.date | None = None, packs: list[str] | None = None, select: list[str] | None = None,
                 ignore: list[str] | None = None, fail_level: str = "warning", waivers: str | None = None,
                 only_central_waivers: bool = False, report_unused_waivers: bool = False,
                 consultation_paths: list[str] | None = None, max_file_bytes: int | None = None,
                 max_seconds_per_file: float | None = None, calendar_files: list[str] | None = None,
                 owners: list[OwnerSetting] | None = None, existing_content_categories: list[str] | None = None,
                 language: str | None = None):
        self.path = path
        self.organisation_type = organisation_type
        self.region = region
        self.areas = [] if areas is None else areas
        self.lead_in_days = lead_in_days
        self.windows = [] if windows is None else windows
        self.as_of = as_of
        self.packs = [] if packs is None else packs
        self.select = [] if select is None else select
        self.ignore = [] if ignore is None else ignore
        self.fail_level = fail_level
        self.waivers = waivers
        self.only_central_waivers = only_central_waivers
        self.report_unused_waivers = report_unused_waivers
        self.consultation_paths = [] if consultation_paths is None else consultation_paths  # globs of consultations
        self.max_file_bytes = max_file_bytes
        self.max_seconds_per_file = max_seconds_per_file
        # Imported elections, read after the built-in calendar.
        self.calendar_files = [] if calendar_files is None else calendar_files
        self.owners = [] if owners is None else owners  # audit: which team answers for which URLs
        self.existing_content_categories = (list(EXISTING_CONTENT_CATEGORIES) if existing_content_categories is None
                                            else existing_content_categories)
        self.language = language  # "en" or "cy": drafts are in it and messages are given in it; None: detected


def find_config(start: Path) -> Path | None:
    """The nearest ``.purdah-lint.toml``, or ``pyproject.toml`` with a purdah-lint table, upwards."""
    for folder in [start, *start.parents]:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        tool = _read_toml(path).get("tool", {})
        return not isinstance(tool, dict) or "purdah-lint" in tool
    except ConfigError:
        return True  # let loading report the syntax error


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # these two only when there is a config file: a one-file check starts faster

    from ..structured import parse_file

    return parse_file(str(path), "config", tomllib.load, tomllib.TOMLDecodeError, _toml_problem, ConfigError)


def _toml_problem(exc: Exception) -> str:
    found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
    where = f"{found.group(1)}:{found.group(2)}:" if found else ""
    return f"{where} invalid TOML: {reason}"

def load_config(path: Path | None) -> Config:
    """Read and validate the config at ``path`` (no path: all defaults)."""
    if path is None:
        return Config()
    data = _read_toml(path)
    base = path.parent
    shown = str(path)

    def fail(message: str) -> None:
        raise ConfigError(f"{shown}: {message}")

    if "tool" in data and not isinstance(data["tool"], dict):
        fail("'tool' must be a table ([tool.purdah-lint])")
    table = data["tool"].get("purdah-lint") if "tool" in data else data
    if table is None:
        table = {} if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        fail("'purdah-lint' must be a table ([tool.purdah-lint])")

    for key in table:
        if key not in KEYS:
            fail(f"unknown key '{key}' in [tool.purdah-lint]; allowed: {', '.join(KEYS)}")
    config = Config(path=shown)
    config.organisation_type = _choice(table, "organisation_type", ORGANISATION_TYPES, fail)
    config.region = _choice(table, "region", REGIONS, fail)
    config.areas = _strings(table, "areas", fail)
    config.lead_in_days = _integer(table, "lead_in_days", 14, fail, most=MAX_LEAD_IN_DAYS)
    config.max_file_bytes = _integer(table, "max_file_bytes", None, fail, least=1)
    seconds = table.get("max_seconds_per_file")
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, (int, float))
                                or not math.isfinite(seconds) or not 0 < seconds <= MAX_SECONDS):
        fail(f"'max_seconds_per_file' is {brief(seconds)}; it must be a number of seconds above 0 and at most "
             f"{MAX_SECONDS:,} (a day)")
    config.max_seconds_per_file = seconds
    config.as_of = parse_date(table["as_of"], f"{shown}: as_of") if "as_of" in table else None
    config.packs = [str((base / item).resolve()) for item in _strings(table, "packs", fail)]
    config.calendar_files = [str(base / item) for item in _strings(table, "calendar_files", fail)]
    config.select = _strings(table, "select", fail)
    config.consultation_paths = _strings(table, "consultation_paths", fail)
    config.ignore = _strings(table, "ignore", fail)
    config.fail_level = _choice(table, "fail_level", FAIL_LEVELS, fail) or "warning"
    config.language = _choice(table, "language", LANGUAGES, fail)
    config.only_central_waivers = _boolean(table, "only_central_waivers", fail)
    config.report_unused_waivers = _boolean(table, "report_unused_waivers", fail)
    waivers = table.get("waivers")
    if waivers is not None and (not isinstance(waivers, str) or not waivers.strip()):
        fail(f"'waivers' is {brief(waivers)}; it must be the path of the waiver file, e.g. \"purdah-waivers.yaml\"")
    config.waivers = str(base / waivers) if waivers is not None else None
    raw_windows = table.get("windows", [])
    if not isinstance(raw_windows, list):
        fail("'windows' must be an array of tables ([[tool.purdah-lint.windows]])")
    config.windows = [_window(entry, index, fail, shown) for index, entry in enumerate(raw_windows, 1)]
    raw_owners = table.get("owners", [])
    if not isinstance(raw_owners, list):
        fail("'owners' must be an array of tables ([[tool.purdah-lint.owners]])")
    config.owners = [_owner(entry, index, fail) for index, entry in enumerate(raw_owners, 1)]
    if "existing_content_categories" in table:
        config.existing_content_categories = _strings(table, "existing_content_categories", fail)
    return config


def _choice(table, key, allowed, fail):
    value = table.get(key)
    if value is not None and value not in allowed:
        fail(f"'{key}' is {brief(value)}; allowed: {', '.join(allowed)}")
    return value


def _strings(table, key, fail) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        fail(f"'{key}' must be a list of strings")
    return value


def _boolean(table, key, fail) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        fail(f"'{key}' must be true or false")
    return value


def _integer(table, key, default, fail, least: int = 0, most: int | None = None):
    value = table.get(key, default)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < least
                              or (most is not None and value > most)):
        limits = f"{least} or more" if most is None else f"from {least} to {most:,}"
        fail(f"'{key}' is {brief(value)}; it must be a whole number {limits}")
    return value


class WindowSetting(Value):
    """A ``[[windows]]`` entry: overrides a calendar election by id, or adds one (a by-election)."""

    __slots__ = ("id", "name", "start", "end", "region", "areas", "topics", "index")

    def __init__(self, id: str, name: str | None = None, start: dt.date | None = None, end: dt.date | None = None,
                 region: str | None = None, areas: tuple[str, ...] = (), topics: tuple[str, ...] | None = None,
                 index: int = 0):
        self.id = id
        self.name = name
        self.start = start
        self.end = end
        self.region = region
        self.areas = areas
        self.topics = topics
        self.index = index


def _table_of(entry, where: str, shape: str, allowed, fail) -> None:
    """Fail unless ``entry`` is a table whose keys are all ``allowed``."""
    if not isinstance(entry, dict):
        fail(f"{where} must be {shape}")
    for key in entry:
        if key not in allowed:
            fail(f"unknown key '{key}' in {where}; allowed: {', '.join(allowed)}")


def _window(entry, index, fail, shown) -> WindowSetting:
    where = f"windows[{index}]"
    _table_of(entry, where, "a table", WINDOW_KEYS, fail)
    election_id = entry.get("id")
    if not isinstance(election_id, str) or not election_id.strip():
        fail(f"{where} needs 'id', a string such as 'local.2024-05-02'")
    start = parse_date(entry["start"], f"{shown}: {where}.start") if "start" in entry else None
    end = parse_date(entry["end"], f"{shown}: {where}.end") if "end" in entry else None
    if start and end and start > end:
        fail(f"{where} ({election_id}): start {start} is after end {end}")
    region = entry.get("region")
    if region is not None and region not in REGIONS:
        fail(f"{where}: 'region' is {region!r}; allowed: {', '.join(REGIONS)}")
    topics = entry.get("topics")
    if entry.get("name") is not None and not isinstance(entry["name"], str):
        fail(f"{where} ({election_id}): 'name' must be a string")
    return WindowSetting(id=election_id, name=entry.get("name"), start=start, end=end, region=region,
                         areas=tuple(_strings(entry, "areas", fail)),
                         topics=tuple(_strings(entry, "topics", fail)) if topics is not None else None, index=index)


class OwnerSetting(Value):
    """An ``[[owners]]`` entry: the team that answers for URLs starting with (or matching the glob) ``pattern``."""

    __slots__ = ("pattern", "team")

    def __init__(self, pattern: str, team: str):
        self.pattern = pattern
        self.team = team


def _owner(entry, index, fail) -> OwnerSetting:
    where = f"owners[{index}]"
    _table_of(entry, where, "a table with 'url' (a URL prefix or glob) and 'team'", OWNER_KEYS, fail)
    for key in OWNER_KEYS:
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            fail(f"{where} needs '{key}', a non-empty string")
    return OwnerSetting(entry["url"].strip(), entry["team"].strip())
