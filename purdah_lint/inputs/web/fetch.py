"""Fetching pages politely: robots.txt, timeouts, a redirect limit, a size limit and conditional requests."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from ... import __version__
from .cache import CachedPage, PageCache
from .pages import suffix_for

USER_AGENT = f"purdah-lint/{__version__} (+https://pypi.org/project/purdah-lint/)"
ROBOTS_AGENT = "purdah-lint"
REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class FetchLimits:
    """How politely and how far a fetch may go."""

    timeout: float = 10.0
    max_redirects: int = 5
    max_page_bytes: int = 10 * 1024 * 1024
    cache_dir: str | None = None
    obey_robots: bool = True


class PageOutcome(Exception):
    """A URL that ends without being checked: ``state`` is skipped or failed, ``reason`` one word."""

    def __init__(self, state: str, reason: str, detail: str):
        super().__init__(detail)
        self.state, self.reason, self.detail = state, reason, detail


def skipped(reason: str, detail: str) -> PageOutcome:
    """A URL not fetched or not checked on purpose (robots, type, size, host)."""
    return PageOutcome("skipped", reason, detail)


def failed(reason: str, detail: str) -> PageOutcome:
    """A URL that could not be fetched or read (status, timeout, redirects, connection, parse)."""
    return PageOutcome("failed", reason, detail)


@dataclass(frozen=True)
class Fetched:
    """A page's bytes and what the server said about them."""

    url: str  # after redirects
    status: int
    content_type: str
    body: bytes
    last_modified: str | None
    from_cache: bool


def host_of(url: str) -> str:
    """``scheme://host:port`` of ``url``: the unit of robots.txt, politeness limits and crawl scope."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class Fetcher:
    """One process's HTTP client, robots.txt rules per host, and page cache."""

    def __init__(self, limits: FetchLimits):
        self.limits = limits
        self.client = httpx.Client(timeout=limits.timeout, follow_redirects=False,
                                   headers={"User-Agent": USER_AGENT})
        self.cache = PageCache(limits.cache_dir) if limits.cache_dir else None
        self._robots: dict[str, Protego | None] = {}
        self._lock = threading.Lock()

    def allowed(self, url: str) -> bool:
        """Whether robots.txt on ``url``'s host lets purdah-lint fetch it."""
        if not self.limits.obey_robots:
            return True
        host = host_of(url)
        with self._lock:
            if host not in self._robots:
                self._robots[host] = self._read_robots(host)
            rules = self._robots[host]
        return rules is None or rules.can_fetch(url, ROBOTS_AGENT)

    def _read_robots(self, host: str) -> Protego | None:
        try:
            response = self.client.get(host + "/robots.txt", follow_redirects=True)
        except httpx.HTTPError:
            return None  # no robots.txt to be read: nothing is disallowed
        if response.status_code >= 400:
            return None
        return Protego.parse(response.text)

    def fetch(self, url: str, any_type: bool = False) -> Fetched:
        """GET ``url`` within the limits; anything that stops it raises :class:`PageOutcome`.

        Only types a reader checks are downloaded, unless ``any_type`` (for sitemaps).
        """
        for _ in range(self.limits.max_redirects + 1):
            if not self.allowed(url):
                raise skipped("robots", "disallowed by robots.txt")
            response_or_url = self._get_once(url, any_type)
            if isinstance(response_or_url, Fetched):
                return response_or_url
            target = response_or_url
            if host_of(target) != host_of(url):
                raise skipped("host", f"redirects to another host ({host_of(target)})")
            url = target
        raise failed("redirects", f"more than {self.limits.max_redirects} redirects (or a redirect loop)")

    def _get_once(self, url: str, any_type: bool) -> Fetched | str:
        cached = self.cache.get(url) if self.cache else None
        headers = {}
        if cached and cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached and cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code in REDIRECTS and "location" in response.headers:
                    return urljoin(url, response.headers["location"])
                if response.status_code == 304 and cached:
                    return Fetched(url, 200, cached.content_type, cached.body, cached.last_modified, True)
                if response.status_code >= 400:
                    raise failed("status", f"HTTP {response.status_code}")
                content_type = response.headers.get("content-type", "")
                if not any_type and suffix_for(content_type, url) is None:
                    raise skipped("type", f"{content_type.split(';')[0] or 'unknown type'} is not checked")
                body = self._body(response)
        except httpx.TimeoutException:
            raise failed("timeout", f"no complete answer within {self.limits.timeout:g} seconds") from None
        except httpx.HTTPError as exc:
            raise failed("connection", f"cannot fetch: {type(exc).__name__}") from None
        last_modified = response.headers.get("last-modified")
        if self.cache:
            self.cache.put(url, CachedPage(body, content_type, response.headers.get("etag"), last_modified))
        return Fetched(url, response.status_code, content_type, body, last_modified, False)

    def _body(self, response: httpx.Response) -> bytes:
        limit = self.limits.max_page_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise skipped("size", f"{int(declared):,} bytes, over the {limit:,}-byte limit (--max-page-bytes)")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise skipped("size", f"over the {limit:,}-byte limit (--max-page-bytes)")
            chunks.append(chunk)
        return b"".join(chunks)
