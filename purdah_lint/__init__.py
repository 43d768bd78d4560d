"""purdah-lint: flag draft content that needs sign-off in a UK pre-election period."""

__version__ = "0.1.0"

DOCS_URL = "https://purdah-lint.readthedocs.io/en/latest/"
