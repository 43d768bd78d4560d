"""An on-disk cache of fetched pages, so a later audit asks only whether each page changed."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

from ...safety.writing import replace_bytes


@dataclass(frozen=True)
class CachedPage:
    """A page body kept from an earlier fetch, with the validators to revalidate it."""

    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None


class PageCache:
    """Pages by URL under one folder; writes are atomic so several processes may share it."""

    def __init__(self, folder: str):
        self.folder = folder

    def _paths(self, url: str) -> tuple[str, str]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        stem = os.path.join(self.folder, key[:2], key)
        return stem + ".json", stem + ".body"

    def get(self, url: str) -> CachedPage | None:
        """The cached page for ``url``, or None when there is none (or it is unreadable)."""
        meta_path, body_path = self._paths(url)
        try:
            with open(meta_path, encoding="utf-8") as handle:
                meta = json.load(handle)
            with open(body_path, "rb") as handle:
                body = handle.read()
        except (OSError, ValueError):
            return None
        if meta.get("url") != url or meta.get("size") != len(body):
            return None
        return CachedPage(body, meta.get("content_type", ""), meta.get("etag"), meta.get("last_modified"))

    def put(self, url: str, page: CachedPage) -> None:
        """Keep ``page`` for ``url`` (only pages with a validator are worth keeping)."""
        if not (page.etag or page.last_modified):
            return
        meta_path, body_path = self._paths(url)
        meta = {"url": url, "size": len(page.body), "content_type": page.content_type, "etag": page.etag,
                "last_modified": page.last_modified}
        try:
            os.makedirs(os.path.dirname(body_path), exist_ok=True)
            replace_bytes(body_path, page.body)
            replace_bytes(meta_path, json.dumps(meta).encode("utf-8"))
        except OSError:
            pass  # a cache that cannot be written only costs a full fetch next time

