"""What a fetched page is (its type, by Content-Type or suffix) and what it links to and says about its date."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from ..formats import FORMATS

# Content-Type (without parameters) -> the suffix whose reader reads it
CONTENT_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/pdf": ".pdf",
}
DOCUMENT_SUFFIXES = (".docx", ".pdf")  # linked files followed from any page, not only when crawling


def suffix_for(content_type: str, url: str) -> str | None:
    """The reader suffix for a response, by its Content-Type, else the URL's suffix; None: not checked."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in CONTENT_TYPES:
        return CONTENT_TYPES[kind]
    if kind and kind not in ("application/octet-stream", "binary/octet-stream"):
        return None
    return url_suffix(url)


def url_suffix(url: str) -> str | None:
    """The supported suffix ending ``url``'s path, if any."""
    path = urlsplit(url).path.lower()
    dot = path.rfind(".")
    suffix = path[dot:] if dot > path.rfind("/") else ""
    return suffix if suffix in FORMATS else None


class _PageFacts(HTMLParser):
    """Collects ``<a href>`` targets and the first ``<time datetime>`` of an HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.time: str | None = None
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        elif tag == "time" and self.time is None and values.get("datetime"):
            self.time = values["datetime"]
        elif tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"]


def page_facts(text: str, url: str) -> tuple[list[str], str | None]:
    """Absolute http(s) links on the page (without fragments, in order, once each) and its ``<time>`` date."""
    parser = _PageFacts()
    parser.feed(text)
    parser.close()
    base = urljoin(url, parser.base) if parser.base else url
    seen: dict[str, None] = {}
    for href in parser.links:
        absolute = urldefrag(urljoin(base, href.strip())).url
        if urlsplit(absolute).scheme in ("http", "https"):
            seen.setdefault(absolute, None)
    return list(seen), parser.time
