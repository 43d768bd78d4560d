"""Dates from config, metadata and options: one parser for every source."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import PurdahError

# Formats writers put in document metadata besides ISO dates.
_TEXT_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%d/%m/%Y")


def parse_date(value: Any, where: str) -> dt.date:
    """A date from TOML, YAML or text; anything else is an error naming ``where``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            pass
        for text_format in _TEXT_FORMATS:
            try:
                return dt.datetime.strptime(text, text_format).date()
            except ValueError:
                continue
    raise PurdahError(f"{where}: {value!r} is not a date (use YYYY-MM-DD)")
