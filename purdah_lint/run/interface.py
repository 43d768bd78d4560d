"""The interface a run came through, so that messages name the setting the user can change there."""

from __future__ import annotations

from ..model import Value


class Interface(Value):
    """How each setting a message may point at is written in one interface."""

    __slots__ = ("name", "settings")

    def __init__(self, name: str, settings: dict[str, str] | None = None):
        self.name = name
        self.settings = {} if settings is None else settings

    def setting(self, key: str) -> str:
        """The way to write setting ``key`` here, e.g. ``--in-window`` or ``purdah_in_window = True``."""
        return self.settings[key]


CLI = Interface("command line", {
    "as_of": "--as-of",
    "in_window": "--in-window",
    "window": "--window",
    "select": "--select",
    "ignore": "--ignore",
    "language": "--lang",
    "show_waived": "--show-waived lists them",
})

SPHINX = Interface("Sphinx", {
    "as_of": "purdah_as_of",
    "in_window": "purdah_in_window = True in conf.py",
    "window": "purdah_window (or a purdah-page :window:)",
    "select": "purdah_select",
    "ignore": "purdah_ignore",
    "language": "purdah_language",
    "show_waived": "purdah.json lists them",
})
