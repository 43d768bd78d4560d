"""Saved Every Election data (Democracy Club's API results as JSON, or CSV) as calendar entries.

Every Election lists each poll three ways: an election group (``local.2026-05-07``), an
organisation group (``local.stockport.2026-05-07``) and ballots (``local.stockport.bramhall-north.2026-05-07``).
A window is per organisation, so organisation groups are kept, and so are ballots that are
by-elections or have no group in the file; a group whose narrower entries are in the file is left
to them. Cancelled and replaced polls are kept, marked, so the record shows why no window opens.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from ..model import PurdahError

TERRITORIES = {"ENG": "england", "WLS": "wales", "SCT": "scotland", "NIR": "northern-ireland", "GB": None, "UK": None}
MAX_BYTES = 64 * 1024 * 1024


def read_every_election(path: Path, imported_on: dt.date) -> list[dict[str, Any]]:
    """Calendar entries for the elections in a saved Every Election file (JSON pages or CSV)."""
    try:
        if not path.is_file():
            raise PurdahError(f"{path}: not a regular file")
        if path.stat().st_size > MAX_BYTES:
            raise PurdahError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB; save fewer pages per file")
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise PurdahError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise PurdahError(f"{path}: not UTF-8 text; save the API results or CSV as they were downloaded") from None
    records = _csv_records(path, text) if path.suffix.lower() == ".csv" else _json_records(path, text)
    source = f"Every Election, {path.name}, imported {imported_on.isoformat()}"
    return _entries(records, source, imported_on)


def _json_records(path: Path, text: str) -> list[tuple[str, dict]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PurdahError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise PurdahError(f"{path}: nested too deeply to read; save the API results as they were downloaded") from None
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        items = data["results"]  # one saved page of the API
    elif isinstance(data, list) and all(isinstance(page, dict) and "results" in page for page in data) and data:
        items = [item for page in data for item in page["results"]]  # several pages saved together
    elif isinstance(data, list):
        items = data
    elif isinstance(data, dict) and "election_id" in data:
        items = [data]
    else:
        raise PurdahError(f"{path}: expected Every Election API results: an object with 'results', "
                          "a list of such pages, or a list of elections")
    records = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise PurdahError(f"{path}: results[{index}]: an election must be an object")
        organisation = item.get("organisation") if isinstance(item.get("organisation"), dict) else {}
        election_type = item.get("election_type") if isinstance(item.get("election_type"), dict) else {}
        records.append((f"{path}: results[{index}]", {
            "election_id": item.get("election_id"), "title": item.get("election_title"),
            "poll": item.get("poll_open_date"), "group_type": item.get("group_type"),
            "cancelled": item.get("cancelled"), "replaced_by": item.get("replaced_by"),
            "organisation": organisation.get("slug"), "territory": organisation.get("territory_code"),
            "type": election_type.get("election_type")}))
    return records


def _csv_records(path: Path, text: str) -> list[tuple[str, dict]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "election_id" not in reader.fieldnames:
        raise PurdahError(f"{path}:1: the CSV needs an 'election_id' column (Every Election's CSV export has one)")
    records = []
    try:
        for row in reader:
            if None in row:
                raise PurdahError(f"{path}:{reader.line_num}: more cells than the header has columns")
            get = lambda *names: next((row[name] for name in names if row.get(name)), None)  # noqa: E731
            records.append((f"{path}:{reader.line_num}", {
                "election_id": get("election_id"), "title": get("election_title"), "poll": get("poll_open_date"),
                "group_type": get("group_type"), "cancelled": get("cancelled"), "replaced_by": get("replaced_by"),
                "organisation": get("organisation_slug", "organisation.slug", "organisation"),
                "territory": get("territory_code", "organisation.territory_code"),
                "type": get("election_type", "election_type.election_type")}))
    except csv.Error as exc:
        raise PurdahError(f"{path}:{reader.line_num}: not valid CSV: {exc}") from None
    return records


def _entries(records: list[tuple[str, dict]], source: str, today: dt.date) -> list[dict[str, Any]]:
    from .windows import valid_election_id as validate

    ids = set()
    for where, record in records:
        election_id = record["election_id"]
        if not isinstance(election_id, str) or not validate(election_id):
            raise PurdahError(f"{where}: {election_id!r} is not a valid Democracy Club election id")
        ids.add(election_id)
    entries = []
    for where, record in records:
        election_id = record["election_id"]
        if _covered_by_narrower(election_id, record["group_type"], ids):
            continue
        entries.append(_entry(where, record, source, today))
    return entries


def _parts(election_id: str) -> list[str]:
    return election_id.split(".")


def _covered_by_narrower(election_id: str, group_type: str | None, ids: set[str]) -> bool:
    """A group whose organisations are listed, or a scheduled ballot whose organisation group is."""
    parts = _parts(election_id)
    if group_type == "election":
        return any(other != election_id and other.startswith(parts[0] + ".") and other.endswith(parts[-1])
                   for other in ids)
    if group_type in (None, "", "ballot") and "by" not in parts and len(parts) > 3:
        return f"{parts[0]}.{parts[1]}.{parts[-1]}" in ids
    return False


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in ("true", "1", "yes"))


def _entry(where: str, record: dict, source: str, today: dt.date) -> dict[str, Any]:
    election_id = record["election_id"]
    poll = election_id.rsplit(".", 1)[-1]
    if record["poll"] and str(record["poll"]) != poll:
        raise PurdahError(f"{where}: poll_open_date {record['poll']} does not match the id {election_id}")
    entry: dict[str, Any] = {"id": election_id, "name": record["title"] or election_id}
    if _truthy(record["cancelled"]):
        entry["status"] = "cancelled"
    elif record["replaced_by"]:
        entry["status"], entry["replaced_by"] = "replaced", str(record["replaced_by"])
    else:
        entry["status"] = "held" if dt.date.fromisoformat(poll) < today else "scheduled"
    region = TERRITORIES.get(str(record["territory"] or "").upper())
    if region:
        entry["regions"] = [region]
    if record["organisation"] and len(_parts(election_id)) > 2:
        entry["areas"] = [str(record["organisation"])]
    entry["source"] = source
    return entry
