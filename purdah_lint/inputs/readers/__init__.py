"""Format readers: each turns a decoded file (or its bytes) into a :class:`~purdah_lint.model.Document`."""
