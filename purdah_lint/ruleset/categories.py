"""The categories of finding and the code hundreds each owns."""

from __future__ import annotations

CATEGORIES: dict[str, tuple[int, str]] = {
    "meta": (0, "waivers and unreadable input"),
    "policy-announcement": (1, "new policies, strategies, plans, funding or services announced"),
    "procurement": (2, "large or contentious contracts, tenders, awards and outsourcing"),
    "consultation": (3, "launching or promoting a consultation, or publishing its outcome"),
    "campaign": (4, "publicity or awareness campaigns that are not time-critical"),
    "politician": (5, "a platform for candidates or elected politicians; staff political activity"),
    "logo-use": (6, "logos, films, photos or media made available to candidates or parties"),
    "resources": (7, "premises, rooms, cars, posters or staff time used for campaigning"),
    "policing-topic": (8, "Police and Crime Commissioner topics, in PCC windows only"),
    "readability": (9, "plain-English advisory for consultation documents"),
}


def category_for_code(code: str) -> str | None:
    """The category that owns a built-in ``PE`` code, by its hundreds digit."""
    if not (code.startswith("PE") and len(code) == 5 and code[2:].isdigit()):
        return None
    hundreds = int(code[2])
    return next((name for name, (number, _) in CATEGORIES.items() if number == hundreds), None)
