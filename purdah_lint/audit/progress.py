"""A one-line progress display on a terminal: URLs done, failed, findings, rate. Silent elsewhere and in CI."""

from __future__ import annotations

import os
import sys
import time


class Progress:
    """Counts results as they arrive and redraws one line at most a few times a second."""

    def __init__(self, stream=None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = self.stream.isatty() and not os.environ.get("CI")
        self.enabled = enabled
        self.done = self.failed = self.findings = 0
        self.started = time.monotonic()
        self._drawn = 0.0

    def __call__(self, result: dict) -> None:
        """Count one URL's result."""
        self.done += 1
        self.failed += result["state"] == "failed"
        self.findings += sum(1 for f in result.get("findings", []) if f["waived"] is None)
        now = time.monotonic()
        if self.enabled and now - self._drawn > 0.2:
            self._drawn = now
            rate = self.done / max(now - self.started, 1e-6)
            self.stream.write(f"\raudit: {self.done:,} URLs done, {self.failed:,} failed, "
                              f"{self.findings:,} findings, {rate:,.1f} URLs/s ")
            self.stream.flush()

    def close(self) -> None:
        """End the progress line."""
        if self.enabled and self.done:
            self.stream.write("\n")
            self.stream.flush()
