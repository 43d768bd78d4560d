"""What the HTML report adds for an audit: each URL's state, owner and content kind, and changes since an earlier audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ...model import Finding
from ..text import reasons_text

NO_OWNER = "(no owner)"
SINCE_WORDS = {"new": "new since the previous audit", "present": "still present since the previous audit"}


@dataclass(frozen=True)
class PageFacts:
    """One audited URL as the report shows it."""

    url: str
    state: str  # checked, skipped or failed
    reason: str | None = None
    detail: str | None = None
    owner: str | None = None
    content: str | None = None  # existing, new or undated
    content_text: str | None = None  # which rules applied, in words
    published: str | None = None
    published_source: str | None = None

    @property
    def link(self) -> str | None:
        """The URL to link to: web addresses only, never a script or local file."""
        return self.url if urlsplit(self.url).scheme in ("http", "https") else None

    @property
    def state_text(self) -> str:
        """``checked``, or the state with its reason (``skipped: robots``)."""
        return f"{self.state}: {self.reason}" if self.reason else self.state


@dataclass
class AuditFacts:
    """An audit's pages, counts and comparison with the previous audit, for the HTML report."""

    totals: dict
    pages: dict[str, PageFacts] = field(default_factory=dict)  # by the path the report's files carry
    since: dict[tuple, str] = field(default_factory=dict)  # finding sort key -> new or present
    resolved: list[dict] = field(default_factory=list)  # the previous audit's findings gone from this one

    def page(self, path: str) -> PageFacts | None:
        """The facts of the URL behind a report path."""
        return self.pages.get(path)

    def since_of(self, finding: Finding) -> str | None:
        """``new since the previous audit`` or ``still present …`` (with ``--since``), else None."""
        state = self.since.get(finding.sort_key())
        return SINCE_WORDS.get(state) if state else None

    def owner(self, finding: Finding) -> str:
        """The owner group of a finding's URL, or ``(no owner)``."""
        page = self.pages.get(finding.path)
        return page.owner if page is not None and page.owner else NO_OWNER

    @property
    def owner_names(self) -> list[str]:
        """Every owner group among the audited URLs, for the owner filter."""
        return sorted({page.owner or NO_OWNER for page in self.pages.values()})

    @property
    def content_kinds(self) -> list[str]:
        """Every content kind among the checked URLs, for the content filter."""
        return sorted({page.content for page in self.pages.values() if page.content})

    def reasons(self, state: str) -> str:
        """How many URLs ended in ``state`` (skipped or failed), with each reason."""
        return reasons_text(self.totals[state])
