"""Calendar files a user adds (``calendar_files`` in config): read them strictly, merge imports into them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..model import PurdahError

ENTRY_KEYS = {"id", "name", "status", "regions", "areas", "excluded_areas", "topics", "start", "start_source", "end",
              "replaced_by", "source"}
STATUSES = ("held", "scheduled", "expected", "cancelled", "replaced")
REGIONS = ("england", "wales", "scotland", "northern-ireland")
HEADER = """\
# Elections added to purdah-lint's built-in calendar, in its format (see docs/windows.rst).
# Written by 'purdah-lint windows import'; 'source' records where each entry came from.
# Cancelled and replaced elections stay listed with their status and open no window.
"""


def read_calendar_file(path: Path) -> list[dict[str, Any]]:
    """The elections in a calendar file, validated; problems raise one-line errors with file:line."""
    import yaml

    from ..safety import yaml_loader
    from ..structured import parse_file, yaml_problem

    data = parse_file(str(path), "calendar file", yaml_loader.load, yaml.YAMLError,
                      lambda exc: yaml_problem(exc, "invalid YAML"))
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("elections"), list):
        raise PurdahError(f"{path}: a calendar file is a mapping with 'elections:', a list")
    return [_entry(entry, index, path) for index, entry in enumerate(data["elections"], 1)]


def _entry(entry: Any, index: int, path: Path) -> dict[str, Any]:
    from .windows import valid_election_id as validate

    where = f"{path}: elections[{index}]"
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise PurdahError(f"{where}: each election needs an 'id' (a Democracy Club election id)")
    unknown = sorted(set(entry) - ENTRY_KEYS)
    if unknown:
        raise PurdahError(f"{where} ({entry['id']}): unknown key '{unknown[0]}'; allowed: {', '.join(sorted(ENTRY_KEYS))}")
    if not validate(entry["id"]):
        raise PurdahError(f"{where}: {entry['id']!r} is not a valid Democracy Club election id")
    if entry.get("status", "scheduled") not in STATUSES:
        raise PurdahError(f"{where} ({entry['id']}): 'status' is {entry['status']!r}; allowed: {', '.join(STATUSES)}")
    for key in ("regions", "areas", "excluded_areas", "topics"):
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise PurdahError(f"{where} ({entry['id']}): '{key}' must be a list of strings")
    bad = sorted(set(entry.get("regions", [])) - set(REGIONS))
    if bad:
        raise PurdahError(f"{where} ({entry['id']}): region {bad[0]!r}; allowed: {', '.join(REGIONS)}")
    for key in ("start", "end"):
        if key in entry and not isinstance(entry[key], dt.date):
            raise PurdahError(f"{where} ({entry['id']}): '{key}' must be a date such as 2025-06-12")
    return {**entry, "name": str(entry.get("name") or entry["id"])}


def merge_into(path: Path, imported: list[dict[str, Any]]) -> tuple[int, int]:
    """Add ``imported`` entries to the calendar file at ``path`` (replacing same ids); (new, updated)."""
    import yaml

    from ..safety.writing import write_text

    existing = read_calendar_file(path) if path.exists() else []
    by_id = {entry["id"]: entry for entry in existing}
    new = sum(entry["id"] not in by_id for entry in imported)
    updated = sum(entry["id"] in by_id and by_id[entry["id"]] != entry for entry in imported)
    by_id.update((entry["id"], entry) for entry in imported)
    entries = sorted(by_id.values(), key=lambda entry: (entry["id"].rsplit(".", 1)[-1], entry["id"]))
    body = yaml.safe_dump({"elections": entries}, sort_keys=False, allow_unicode=True, width=120)
    # Written beside the target and renamed over it, so an interrupted import never leaves half a file.
    write_text(str(path), lambda handle: handle.write(HEADER + body))
    return new, updated
