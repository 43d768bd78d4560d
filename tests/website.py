"""A generated website with seeded problems and faults, served on 127.0.0.1 by a threaded server tests start.

``python tests/website.py PAGES`` serves it from a process of its own, prints its base URL and stops when its
standard input closes: the benchmark's server then takes no CPU time from the process that measures.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import subprocess
import sys
import threading
import time
from collections import Counter
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONSULTATION = "Our consultation opens today and runs for twelve weeks."  # PE301
STRATEGY = "We are today launching Better Together 2029, our new five-year clinical strategy."  # PE101
QUIET = "The library is open from nine until five on weekdays, and the car park is free after six."
NEW_DATE, OLD_DATE = "2024-04-01", "2024-01-10"  # inside and before the 21 March to 2 May 2024 window
SLOW_SECONDS = 8.0
HUGE_BYTES = 400_000


class Site:
    """``pages`` pages: every 40th seeds a consultation launch, every 50th a strategy launch; even pages are
    new (dated inside the window), odd pages existing (dated before it). Faults sit at fixed paths."""

    def __init__(self, pages: int, docx: bytes | None = None):
        self.pages = pages
        self.docx = docx
        self.requests: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.agents: set[str] = set()
        self.lock = threading.Lock()
        self.server = _QuietServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        # Rendered once, so that serving a page costs the server only sending it.
        self.rendered = {f"/pages/{n}": _page_response(self.page(n)[0]) for n in range(pages)}
        self.rendered["/sitemap_index.xml"] = (self.sitemap_index(), "application/xml", None)
        self.rendered["/sitemaps/pages.xml"] = (self.sitemap(0), "application/xml", None)
        self.rendered["/sitemaps/more.xml.gz"] = (gzip.compress(self.sitemap(1)), "application/gzip", None)

    def __enter__(self) -> "Site":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # what the site holds

    def page_url(self, number: int) -> str:
        return page_url(self.base, number)

    def consultation_pages(self) -> set[str]:
        return {self.page_url(n) for n in range(self.pages) if n % 40 == 0}

    def strategy_pages(self) -> set[str]:
        return {self.page_url(n) for n in range(self.pages) if n % 50 == 0}

    def is_new(self, number: int) -> bool:
        return number % 2 == 0

    FAULTS = {  # path -> (state, reason) the audit should give it
        "/private/secret": ("skipped", "robots"),
        "/moved": ("checked", None),
        "/loop/a": ("failed", "redirects"),
        "/missing": ("failed", "status"),
        "/broken": ("failed", "status"),
        "/slow": ("failed", "timeout"),
        "/huge": ("skipped", "size"),
        "/logo.png": ("skipped", "type"),
        "/away": ("skipped", "host"),
    }

    def fault_urls(self) -> dict[str, tuple[str, str | None]]:
        return {self.base + path: expected for path, expected in self.FAULTS.items()}

    def sitemap_urls(self) -> list[str]:
        # Faults first: the slow page's timeout then passes while the pages are audited, not after them.
        return list(self.fault_urls()) + [self.page_url(n) for n in range(self.pages)]

    def page(self, number: int) -> tuple[bytes, str]:
        sentences = [QUIET]
        if number % 40 == 0:
            sentences.append(CONSULTATION)
        if number % 50 == 0:
            sentences.append(STRATEGY)
        date = NEW_DATE if self.is_new(number) else OLD_DATE
        links = f'<a href="/pages/{(number + 1) % self.pages}">next</a>'
        if number == 1:
            links += ' <a href="/files/plan.docx">Our plan (Word)</a> <a href="http://127.0.0.2:9/elsewhere">away</a>'
        body = (f'<!DOCTYPE html><html><head><title>Page {number}</title><meta name="date" content="{date}"></head>'
                f'<body><nav><a href="/">Home</a></nav><main><h1>Page {number}</h1>'
                + "".join(f"<p>{s}</p>" for s in sentences) + f"<p>{links}</p></main></body></html>")
        return body.encode("utf-8"), date

    def sitemap_index(self) -> bytes:
        entries = "".join(f"<sitemap><loc>{self.base}/sitemaps/{name}</loc></sitemap>"
                          for name in ("pages.xml", "more.xml.gz"))
        return _xml(f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>')

    def sitemap(self, part: int) -> bytes:
        urls = self.sitemap_urls()
        half = len(urls) // 2
        chosen = urls[:half] if part == 0 else urls[half:]
        entries = "".join(f"<url><loc>{url}</loc></url>" for url in chosen)
        return _xml(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>')


def page_url(base: str, number: int) -> str:
    """The address of page ``number`` of the site at ``base``."""
    return f"{base}/pages/{number}"


@contextlib.contextmanager
def served_apart(pages: int):
    """The site of ``pages`` pages served by a process of its own: yields that process and the site's base URL."""
    process = subprocess.Popen([sys.executable, __file__, str(pages)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True)
    try:
        yield process, process.stdout.readline().strip()
    finally:
        process.stdin.close()  # the server's signal to stop
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _page_response(body: bytes) -> tuple[bytes, str, str]:
    """A page's body, type and ETag."""
    return body, "text/html; charset=utf-8", '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # clients that give up (timeouts, size limits) reset connections on purpose


def _xml(text: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>' + text).encode("utf-8")


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart

        def log_message(self, *args):  # keep test output clean
            pass

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            with site.lock:
                site.requests[path] += 1
                site.agents.add(self.headers.get("User-Agent", ""))
            if path == "/robots.txt":
                return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            if path in site.rendered:  # the pages and sitemaps
                return self._send(200, *site.rendered[path])
            if path == "/moved":
                return self._redirect("/pages/3")
            if path in ("/loop/a", "/loop/b"):
                return self._redirect("/loop/b" if path == "/loop/a" else "/loop/a")
            if path == "/away":
                return self._redirect("http://127.0.0.2:9/elsewhere")
            if path == "/broken":
                return self._send(500, b"oops", "text/plain")
            if path == "/slow":
                time.sleep(SLOW_SECONDS)
                return self._send(200, b"<p>late</p>", "text/html")
            if path == "/huge":
                return self._send(200, b"<p>" + b"a" * HUGE_BYTES + b"</p>", "text/html")
            if path == "/logo.png":
                return self._send(200, b"\x89PNG\r\n\x1a\n", "image/png")
            if path == "/files/plan.docx" and site.docx:
                return self._send(200, site.docx,
                                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            if path.startswith("/private/"):
                return self._send(200, b"<p>" + CONSULTATION.encode() + b"</p>", "text/html")
            return self._send(404, b"not found", "text/plain")

        def _redirect(self, location: str):
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _send(self, status: int, body: bytes, content_type: str, etag: str | None = None):
            cacheable = etag is not None
            if cacheable and self.headers.get("If-None-Match") == etag:
                with site.lock:
                    site.not_modified[self.path] += 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                if cacheable:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", formatdate(1704844800, usegmt=True))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout or a size limit): that is what the test wants

    return Handler


def docx_bytes(text: str) -> bytes:
    """A Word document holding ``text`` as one paragraph."""
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


if __name__ == "__main__":
    with Site(int(sys.argv[1])) as served:
        print(served.base, flush=True)
        sys.stdin.read()
