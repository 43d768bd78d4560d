"""The SQLite results store: every URL with its state, written as results arrive, so an audit can resume."""

from __future__ import annotations

import json
import os
import sqlite3
from typing import Iterator

from ..inputs.web.sources import Locator
from ..model import PurdahError

SCHEMA = "purdah-audit-store/1"
STATES = ("checked", "skipped", "failed")
_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, ref TEXT, offset INTEGER NOT NULL,
    depth INTEGER NOT NULL, lastmod TEXT, crawl INTEGER NOT NULL, scope TEXT,
    state TEXT NOT NULL DEFAULT 'pending', reason TEXT, result TEXT);
CREATE INDEX IF NOT EXISTS pages_state ON pages (state, id);
CREATE TABLE IF NOT EXISTS findings (
    page INTEGER NOT NULL, seq INTEGER NOT NULL, fingerprint TEXT NOT NULL, waived INTEGER NOT NULL,
    severity TEXT NOT NULL, category TEXT NOT NULL, finding TEXT NOT NULL, PRIMARY KEY (page, seq));
CREATE INDEX IF NOT EXISTS findings_fingerprint ON findings (fingerprint);
"""


class Store:
    """One audit's results file. Each result is committed as it arrives; a URL is recorded once."""

    def __init__(self, path: str, fresh: bool):
        self.path = path
        if fresh and os.path.exists(path):
            raise PurdahError(f"{path}: already holds an audit; --resume finishes it, or choose another --store")
        if not fresh and not os.path.exists(path):
            raise PurdahError(f"{path}: no audit to resume (the --store file does not exist)")
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_TABLES)
        except sqlite3.DatabaseError as exc:
            raise PurdahError(f"{path}: not a purdah-lint audit store ({exc})") from None
        if fresh:
            self.set_meta("schema", SCHEMA)
        elif self.meta("schema") != SCHEMA:
            raise PurdahError(f"{path}: not a purdah-lint audit store (expected {SCHEMA})")

    def close(self) -> None:
        """Close the file (everything is already committed)."""
        self.db.close()

    def set_meta(self, key: str, value) -> None:
        """Record one fact about the audit (JSON)."""
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))

    def meta(self, key: str, default=None):
        """One recorded fact about the audit."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def add(self, locators: list[Locator]) -> int:
        """Record URLs to audit; ones already recorded are left as they are. Returns how many were new."""
        before = self.db.total_changes
        with self.db:
            self.db.executemany(
                "INSERT OR IGNORE INTO pages (url, kind, ref, offset, depth, lastmod, crawl, scope) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(loc.url, loc.kind, loc.ref, loc.offset, loc.depth, loc.lastmod, int(loc.crawl), loc.scope)
                 for loc in locators])
        return self.db.total_changes - before

    def pending(self, after: int, limit: int) -> list[tuple[int, Locator]]:
        """Up to ``limit`` URLs not yet finished, after row ``after``, in the order they were found."""
        rows = self.db.execute(
            "SELECT id, url, kind, ref, offset, depth, lastmod, crawl, scope FROM pages "
            "WHERE state = 'pending' AND id > ? ORDER BY id LIMIT ?", (after, limit)).fetchall()
        return [(row[0], Locator(row[1], row[2], row[3], row[4], row[5], row[6], bool(row[7]), row[8]))
                for row in rows]

    def record(self, page_id: int, result: dict) -> bool:
        """Store one URL's result with its findings; False when it was already recorded (never counted twice)."""
        return self.record_batch([(page_id, result)])[0]

    def record_batch(self, results: list[tuple[int, dict]]) -> list[bool]:
        """Store several URLs' results in one transaction; for each, False when it was already recorded."""
        recorded = []
        with self.db:
            for page_id, result in results:
                changed = self.db.execute(
                    "UPDATE pages SET state = ?, reason = ?, result = ? WHERE id = ? AND state = 'pending'",
                    (result["state"], result.get("reason"),
                     json.dumps({k: v for k, v in result.items() if k not in ("findings", "links")}), page_id)).rowcount
                if changed:
                    self.db.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?)", [
                        (page_id, seq, f["fingerprint"], int(f["waived"] is not None), f["severity"], f["category"],
                         json.dumps(f)) for seq, f in enumerate(result.get("findings", []))])
                recorded.append(bool(changed))
        return recorded

    def skip_pending(self, reason: str, detail: str) -> int:
        """Mark every unfinished URL skipped (e.g. beyond --max-pages), so none is left unaccounted for."""
        result = json.dumps({"state": "skipped", "reason": reason, "detail": detail})
        with self.db:
            return self.db.execute("UPDATE pages SET state = 'skipped', reason = ?, result = json_set(?, '$.url', url)"
                                   " WHERE state = 'pending'", (reason, result)).rowcount

    def counts(self) -> dict[str, dict[str, int]]:
        """URLs per state, and per reason within skipped and failed."""
        counts: dict[str, dict[str, int]] = {state: {} for state in ("pending", *STATES)}
        for state, reason, number in self.db.execute("SELECT state, reason, COUNT(*) FROM pages GROUP BY 1, 2"):
            counts[state][reason or "ok"] = number
        return counts

    def results(self) -> Iterator[dict]:
        """Each finished URL's result, in the order the URLs were found."""
        for (text,) in self.db.execute("SELECT result FROM pages WHERE result IS NOT NULL ORDER BY id"):
            yield json.loads(text)

    def findings(self) -> Iterator[dict]:
        """Every finding, page by page in the order the URLs were found."""
        for (text,) in self.db.execute("SELECT finding FROM findings ORDER BY page, seq"):
            yield json.loads(text)

    def fingerprints(self) -> set[str]:
        """Fingerprints of the unwaived findings (for comparing with a later audit)."""
        return {row[0] for row in self.db.execute("SELECT fingerprint FROM findings WHERE waived = 0")}


def open_previous(path: str) -> Store:
    """An earlier audit's store, for ``--since``."""
    return Store(path, fresh=False)
