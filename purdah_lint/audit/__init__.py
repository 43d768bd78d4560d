"""``purdah-lint audit``: check a published website on Dask, with a resumable SQLite results store."""
