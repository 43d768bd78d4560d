"""One URL audited on a worker: obtain the page, decide existing or new content, check it, report compactly."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from dataclasses import dataclass

from ..elections.windows import select_windows
from ..governance.fingerprints import fingerprints
from ..inputs.formats import parse_document
from ..inputs.sources import read_bytes
from ..inputs.web.fetch import Fetcher, FetchLimits, PageOutcome, failed, host_of, skipped
from ..inputs.web.pages import DOCUMENT_SUFFIXES, page_facts, suffix_for, url_suffix
from ..inputs.web.sources import Locator
from ..model import PurdahError
from ..reporters.json_report import finding_json
from ..run.checker import CheckSettings, check_document, document_date
from .owners import owner_of


@dataclass(frozen=True)
class AuditJob:
    """Everything a worker needs, sent to each worker once; tasks then carry only locators."""

    settings: CheckSettings  # full rules: new and undated content
    existing: CheckSettings  # rules for content published before the window: what is still promoted
    limits: FetchLimits
    audit_date: dt.date
    owners: tuple[tuple[str, str], ...] = ()
    max_depth: int = 2
    baseline: frozenset[str] = frozenset()


_FETCHERS: dict[FetchLimits, Fetcher] = {}


def _fetcher(limits: FetchLimits) -> Fetcher:
    # One client per worker process: connections and robots.txt rules are reused across tasks.
    if limits not in _FETCHERS:
        _FETCHERS[limits] = Fetcher(limits)
    return _FETCHERS[limits]


@dataclass
class Page:
    """A page's bytes, the reader suffix for them, and the dates and links known about it."""

    data: bytes
    suffix: str
    path: str
    dates: list[tuple[str | None, str]]  # (date text, where it came from), strongest first
    cache: str = "none"
    status: int | None = None


def audit_page(locator: Locator, job: AuditJob) -> dict:
    """Audit one URL: a result dict that always has ``state`` (checked, skipped or failed)."""
    result = {"url": locator.url, "path": locator.url, "owner": owner_of(locator.url, job.owners)}
    try:
        page = _obtain(locator, job)
        result.update(path=page.path, status=page.status, cache=page.cache)
        document = parse_document(page.data, page.path, page.suffix)
    except PageOutcome as outcome:
        return {**result, "state": outcome.state, "reason": outcome.reason, "detail": outcome.detail}
    except PurdahError as exc:
        return {**result, "state": "failed", "reason": "parse", "detail": str(exc)}
    except RecursionError:
        return {**result, "state": "failed", "reason": "parse", "detail": "markup is nested too deeply to parse"}
    links = []
    if page.suffix == ".html" and locator.kind == "web":
        links, time_text = page_facts(page.data.decode("utf-8", "replace"), locator.url)
        page.dates.insert(0, (time_text, "time element"))
        links = _followed(links, locator, job.max_depth)
    stated = document_date(document.metadata)
    if stated is not None:
        page.dates.insert(0, (stated[0].isoformat(), "page metadata"))
    published, published_source = _published(page.dates)
    content, settings, as_of = _content(published, published_source, job)
    checked = check_document(document, settings, as_of_override=as_of)
    if checked.error:
        return {**result, "state": "failed", "reason": "parse", "detail": checked.error}
    found = [dict(finding_json(f), url=locator.url, owner=result["owner"], content=content, fingerprint=fp)
             for f, fp in zip(checked.findings, fingerprints(checked.findings))]
    kept = [f for f in found if f["waived"] is not None or f["fingerprint"] not in job.baseline]
    return {**result, "state": "checked", "reason": None, "format": checked.format,
            "as_of": checked.as_of.isoformat(), "as_of_source": checked.as_of_source,
            "windows": [w.id for w in checked.windows], "lead_in": checked.lead_in,
            "published": published.isoformat() if published else None, "published_source": published_source,
            "content": content, "notices": checked.notices, "baselined": len(found) - len(kept),
            "central_used": sorted(checked.central_used), "findings": kept, "links": links}


def audit_pages(locators: list[Locator], job: AuditJob) -> list[dict]:
    """Audit several URLs in one task, so that scheduling costs little beside fetching and checking."""
    return [audit_page(locator, job) for locator in locators]


def _obtain(locator: Locator, job: AuditJob) -> Page:
    if locator.kind == "file":
        return Page(read_bytes(locator.ref, job.limits.max_page_bytes), url_suffix(locator.ref) or ".html",
                    locator.ref, [])
    if locator.kind == "jsonl":
        return _export_line(locator, job.limits.max_page_bytes)
    if locator.scope and host_of(locator.url) != locator.scope:
        raise skipped("host", f"outside {locator.scope}")
    fetched = _fetcher(job.limits).fetch(locator.url)
    suffix = suffix_for(fetched.content_type, fetched.url)
    dates = [(locator.lastmod, "sitemap lastmod"), (fetched.last_modified, "Last-Modified header")]
    return Page(fetched.body, suffix, locator.url, dates, "revalidated" if fetched.from_cache else "fetched",
                fetched.status)


def _export_line(locator: Locator, max_bytes: int) -> Page:
    try:
        with open(locator.ref, "rb") as handle:
            handle.seek(locator.offset)
            line = handle.readline(max_bytes + 1)
    except OSError as exc:
        raise failed("parse", f"{locator.ref}: cannot read: {exc.strerror or exc}") from None
    if len(line) > max_bytes:
        raise skipped("size", f"over the {max_bytes:,}-byte limit (--max-page-bytes)")
    try:
        record = json.loads(line)
    except ValueError as exc:
        raise failed("parse", f"{locator.ref}: not a JSON object on this line ({exc})") from None
    if not isinstance(record, dict) or not isinstance(record.get("html", record.get("text")), str):
        raise failed("parse", f"{locator.ref}: each line needs 'url' and 'html' or 'text'")
    dates = [(record.get("modified"), "export modified"), (record.get("published"), "export published")]
    title = record.get("title") if isinstance(record.get("title"), str) else ""
    if isinstance(record.get("html"), str):
        return Page(record["html"].encode("utf-8"), ".html", locator.url, dates)
    text = f"{title}\n\n{record['text']}" if title else record["text"]
    return Page(text.encode("utf-8"), ".txt", locator.url, dates)


def _followed(links: list[str], locator: Locator, max_depth: int) -> list[list]:
    """Same-host links to queue: every page when crawling within the depth limit, else linked documents."""
    if locator.depth >= max_depth:
        return []
    host = host_of(locator.url)
    chosen = []
    for link in links:
        if host_of(link) != host:
            continue
        if locator.crawl or (url_suffix(link) or "") in DOCUMENT_SUFFIXES:
            chosen.append([link, locator.crawl])
    return chosen


def _published(dates: list[tuple[str | None, str]]) -> tuple[dt.date | None, str | None]:
    for text, source in dates:
        day = _day(text)
        if day is not None:
            return day, source
    return None, None


def _day(text) -> dt.date | None:
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()  # HTTP dates: 'Tue, 05 Mar 2024 10:00:00 GMT'
    except (TypeError, ValueError, IndexError):
        return None


def _content(published: dt.date | None, source: str | None, job: AuditJob):
    """Existing content (published before the window now open) or new; the settings and as-of date for it."""
    audit_day = (job.audit_date, "audit date")
    if published is None:
        return "undated", job.settings, audit_day
    if job.settings.fixed_windows is None:
        active, _ = select_windows(list(job.settings.windows), job.audit_date, job.settings.lead_in_days)
        starts = [w.start for w in active if w.start]
        if starts and published < min(starts):
            return "existing", job.existing, audit_day
    return "new", job.settings, (published, source)
