"""Web sources for ``purdah-lint audit``: sitemaps, URL lists, crawls, local exports, and polite fetching."""
