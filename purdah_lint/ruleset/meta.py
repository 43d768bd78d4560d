"""Meta codes (PE0xx): findings about waivers and input rather than about content."""

from __future__ import annotations

from ..model import Value


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
