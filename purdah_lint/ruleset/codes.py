"""The codes a finding carries: the categories and the code hundreds each owns, and the meta codes (PE0xx).

One module, as every check reads both (choosing rules by code or category) and each module imported costs start-up.
"""

from __future__ import annotations

from ..model import Value

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


# Meta codes (PE0xx): findings about waivers and input rather than about content.
class MetaCode(Value):
    """A code the tool reports about itself: governance of waivers, unreadable input."""

    __slots__ = ("code", "name", "summary", "guidance")

    def __init__(self, code: str, name: str, summary: str, guidance: str):
        self.code = code
        self.name = name
        self.summary = summary
        self.guidance = guidance


META_CODES = {
    meta.code: meta
    for meta in (
        MetaCode("PE001", "waiver-missing-field", "A waiver lacks a reason, an approver or an expiry date",
                 "Every waiver records why the text may be published, who approved it and until when."),
        MetaCode("PE002", "waiver-expired", "A waiver's expiry date has passed",
                 "Renew the sign-off with a new expiry date, or change the text."),
        MetaCode("PE003", "waiver-unused", "A waiver waives nothing",
                 "Remove the waiver, or move it to the block it was meant for."),
        MetaCode("PE004", "waiver-unknown-code", "A waiver names an unknown code or category",
                 "Use a code from 'purdah-lint rules' or a category name."),
        MetaCode("PE005", "unreadable-input", "An input file could not be read or parsed",
                 "Save the file as UTF-8 text in a supported format, or remove it from the paths checked."),
    )
}
