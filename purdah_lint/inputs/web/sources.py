"""Audit sources turned into locators: sitemaps (indexes, gzip), URL files, crawl starts, local exports."""

from __future__ import annotations

import gzip
import io
import json
import os
from dataclasses import dataclass
from typing import Callable, Iterator

from ...model import PurdahError
from ..formats import FORMATS
from .fetch import Fetcher, PageOutcome, host_of

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed
MAX_SITEMAP_DEPTH = 3  # sitemap index -> sitemap index -> sitemap: deeper is a loop or a mistake
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass(frozen=True)
class Locator:
    """Where one page comes from; a task carries this, never the page's body.

    ``kind`` is ``web`` (fetch ``url``), ``file`` (a saved page at ``ref``) or ``jsonl`` (the line of
    the JSON Lines export ``ref`` that starts at byte ``offset``).
    """

    url: str
    kind: str = "web"
    ref: str | None = None
    offset: int = 0
    depth: int = 0
    lastmod: str | None = None
    crawl: bool = False  # follow this page's links within its host
    scope: str | None = None  # the only host this URL may be on (a sitemap's or a crawl's own)


def is_url(text: str) -> bool:
    """Whether ``text`` is an http(s) URL rather than a local path."""
    return text.lower().startswith(("http://", "https://"))


def is_sitemap_url(url: str) -> bool:
    """Sitemaps are named by their suffix; any other URL is a page to crawl from."""
    path = url.split("?", 1)[0].lower()
    return path.endswith((".xml", ".xml.gz"))


def expand(source: str, fetcher: Fetcher, add: Callable[[Locator], None]) -> None:
    """Give ``add`` every locator ``source`` names; problems with the source itself raise PurdahError."""
    if is_url(source):
        if is_sitemap_url(source):
            _sitemap(source, fetcher, add, 0)
        else:
            add(Locator(source, crawl=True, scope=host_of(source)))
    elif os.path.isdir(source):
        for path in _saved_pages(source):
            add(Locator(path, "file", os.path.abspath(path)))  # workers run in their own folder
    elif source.lower().endswith(".jsonl"):
        for offset, url in _json_lines(source):
            add(Locator(url, "jsonl", os.path.abspath(source), offset))
    elif os.path.isfile(source):
        for url in _url_file(source):
            add(Locator(url, crawl=False))
    else:
        raise PurdahError(f"{source}: not a URL, a folder, a URL file or a .jsonl export")


def _sitemap(url: str, fetcher: Fetcher, add, depth: int) -> None:
    from defusedxml import ElementTree

    try:
        fetched = fetcher.fetch(url, any_type=True)
    except PageOutcome as outcome:
        raise PurdahError(f"{url}: sitemap not read: {outcome.detail}") from None
    data = fetched.body
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
                data = packed.read(MAX_SITEMAP_BYTES + 1)
        except (OSError, EOFError) as exc:
            raise PurdahError(f"{url}: sitemap is not valid gzip ({exc})") from None
        if len(data) > MAX_SITEMAP_BYTES:
            raise PurdahError(f"{url}: sitemap is over {MAX_SITEMAP_BYTES:,} bytes uncompressed")
    try:
        root = ElementTree.fromstring(data)
    except Exception as exc:  # defusedxml raises ParseError or its own refusals of entity tricks
        raise PurdahError(f"{url}: sitemap is not valid XML ({exc})") from None
    tag = root.tag.replace(SITEMAP_NS, "")
    for entry in root:
        loc = (entry.findtext(f"{SITEMAP_NS}loc") or entry.findtext("loc") or "").strip()
        if not loc:
            continue
        if tag == "sitemapindex":
            if depth >= MAX_SITEMAP_DEPTH:
                raise PurdahError(f"{url}: sitemap indexes nested more than {MAX_SITEMAP_DEPTH} deep")
            _sitemap(loc, fetcher, add, depth + 1)
        else:
            lastmod = (entry.findtext(f"{SITEMAP_NS}lastmod") or entry.findtext("lastmod") or "").strip()
            add(Locator(loc, lastmod=lastmod or None, scope=host_of(url)))


def _saved_pages(folder: str) -> Iterator[str]:
    for root, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(files):
            dot = name.rfind(".")
            if dot > 0 and name[dot:].lower() in FORMATS:
                yield os.path.join(root, name)


def _json_lines(path: str) -> Iterator[tuple[int, str]]:
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise PurdahError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with handle:
        offset = 0
        for number, line in enumerate(handle, 1):
            start, offset = offset, offset + len(line)
            if not line.strip():
                continue
            url = _json_url(line)
            yield start, url if url else f"{path}#L{number}"


def _json_url(line: bytes) -> str | None:
    try:
        record = json.loads(line)
    except ValueError:
        return None  # the page fails with a parse error when its task reads it
    url = record.get("url") if isinstance(record, dict) else None
    return url if isinstance(url, str) and url.strip() else None


def _url_file(path: str) -> Iterator[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                text = line.strip()
                if not text or text.startswith("#"):
                    continue
                if not is_url(text):
                    raise PurdahError(f"{path}:{number}: {text!r} is not an http(s) URL")
                yield text
    except (OSError, UnicodeDecodeError) as exc:
        raise PurdahError(f"{path}: cannot read the URL list: {exc}") from None
