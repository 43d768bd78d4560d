"""Dates from config, metadata and options: one parser for every source."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..safety.display import brief
from ..model import PurdahError

# Formats writers put in document metadata besides ISO dates.
_TEXT_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%d/%m/%Y",
                 # A month and year alone (``:date: May, 2022`` in a manual) is the first of that month.
                 "%B %Y", "%B, %Y", "%b %Y", "%b, %Y")
# YAML allows spaces before a time's offset (``2024-04-15 10:00:00 +01:00``); ISO 8601 does not.
_SPACED_OFFSET = r"\s+(?=(?:[+-]\d|Z$))"  # compiled by re when a date with a time is first read


def parse_date(value: Any, where: str) -> dt.date:
    """A date from TOML, YAML or text; anything else is an error naming ``where``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            day = dt.date.fromisoformat(text[:10])
            if len(text) > 10:  # a time must be a real one too: 25:61 or an offset of +99:00 is not
                dt.datetime.fromisoformat(re.sub(_SPACED_OFFSET, "", text[:10] + " " + text[10:].strip(" Tt")))
            return day
        except ValueError:
            pass
        for text_format in _TEXT_FORMATS:
            try:
                return dt.datetime.strptime(text, text_format).date()
            except ValueError:
                continue
    raise PurdahError(f"{where}: {brief(value)} is not a date (use YYYY-MM-DD)")
