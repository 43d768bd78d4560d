"""Listings for the CLI's reference commands: the rules table, one rule explained, the windows."""

from __future__ import annotations

import datetime as dt
import json

from ..ruleset.codes import MetaCode

RULE_KEYS = ("code", "name", "category", "level", "language", "summary")
# The headings of ``explain``, in each language messages can be given in.
EXPLAIN_LABELS = {
    "en": ("default level", "Who signs it off", "More", "Runs only in windows with the '{topic}' topic (e.g. PCC elections).",
           "Flagged, for example:", "Not flagged, for example:", "Also checked in {languages} text, with the same code."),
    "cy": ("lefel ddiofyn", "Pwy sy'n cymeradwyo", "Rhagor", "Dim ond mewn cyfnodau â'r pwnc '{topic}' y mae'n rhedeg "
           "(e.e. etholiadau Comisiynwyr Heddlu a Throseddu).", "Caiff ei nodi, er enghraifft:",
           "Ni chaiff ei nodi, er enghraifft:", "Caiff testun {languages} ei wirio hefyd, gyda'r un cod."),
}
LANGUAGE_NAMES = {"en": {"en": "English", "cy": "Welsh"}, "cy": {"en": "Saesneg", "cy": "Cymraeg"}}
WINDOW_HEADINGS = ("election", "status", "dates", "starts at", "name")
DISSOLVED = {"parl": "dissolution of Parliament", "senedd": "dissolution of the Senedd",
             "sp": "Scottish Parliament recess"}


def start_in_words(window) -> str:
    """How the window's start was found, as a comms officer would say it (JSON keeps ``start_source``)."""
    kind = window.id.split(".", 1)[0]
    source = window.start_source
    if source == "notice-of-election":
        if kind == "parl" and window.election_status == "expected":
            return "notice of election (latest date; not yet called)"
        return "notice of election"
    if source == "dissolution":
        return DISSOLVED.get(kind, "dissolution")
    if source == "three-week-rule":
        return "three weeks before polling day"
    if source == "fixed":
        return "28 days before polling day" if kind == "ref" else "a date set in advance"
    if source == "config":
        return "set in your config"
    return source


def rules_listing(meta_codes: dict, rules: list, output_format: str) -> str:
    """Every meta code and rule: code, name, category, level, summary, as an aligned table or JSON."""
    rows = [(m.code, m.name, "meta", "error", "any", m.summary) for m in meta_codes.values()]
    rows += [(r.code, r.name, r.category, r.level.label, r.language, r.summary) for r in rules]
    if output_format == "json":
        return json.dumps([dict(zip(RULE_KEYS, row)) for row in rows], indent=2, ensure_ascii=False) + "\n"
    return "".join(line + "\n" for line in _aligned(rows))


def _aligned(rows: list[tuple[str, ...]], indent: str = "") -> list[str]:
    """Rows as lines with every column but the last padded to its widest cell."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    return [indent + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1]
            for row in rows]


def explanation(item, language: str = "en", twins: tuple[str, ...] = ()) -> str:
    """A meta code's or a rule's guidance, examples and who signs it off, headed in ``language``.

    ``twins`` are the other languages the rule's code is checked in.
    """
    if isinstance(item, MetaCode):
        return f"{item.code} {item.name} [meta]\n\n{item.summary}.\n\n{item.guidance}\n"
    rule = item
    level, signoff, more, topic, flagged, passed, also = EXPLAIN_LABELS[language]
    lines = [f"{rule.code} {rule.name} [{rule.category}] {level}: {rule.level.label}", "",
             rule.summary + ".", "", rule.guidance, "", f"{signoff}: {rule.signoff}"]
    if rule.link:
        lines += ["", f"{more}: {rule.link}"]
    if rule.topic:
        lines += ["", topic.format(topic=rule.topic)]
    if twins:
        lines += ["", also.format(languages=", ".join(LANGUAGE_NAMES[language][code] for code in twins))]
    lines += ["", flagged] + [f"  - {text}" for text in rule.examples["fail"]]
    lines += ["", passed] + [f"  - {text}" for text in rule.examples["pass"]]
    return "\n".join(lines) + "\n"


def windows_listing(config, windows: list, as_of: dt.date, as_of_source: str, output_format: str) -> str:
    """The windows binding the configured organisation and each one's status on ``as_of``."""
    entries = []
    for window in windows:
        entry = window.as_json()
        entry["status"] = window.status(as_of, config.lead_in_days)
        entries.append(entry)
    if output_format == "json":
        return json.dumps({"schema": "purdah-lint-windows/1", "as_of": as_of.isoformat(),
                           "as_of_source": as_of_source, "organisation_type": config.organisation_type,
                           "region": config.region, "areas": config.areas, "windows": entries}, indent=2) + "\n"
    who = config.organisation_type or "no organisation_type set"
    lines = [f"Pre-election windows for {who}{f' in {config.region}' if config.region else ''} "
             f"as of {as_of.day} {as_of:%b %Y}:"]
    if not entries:
        lines.append("  none. Set organisation_type (and region, areas) to use the built-in UK calendar, "
                     "or add [[tool.purdah-lint.windows]] entries.")
    else:
        rows = [WINDOW_HEADINGS] + [(w.id, entry["status"], w.describe_dates(), start_in_words(w), w.name)
                                    for w, entry in zip(windows, entries)]
        lines += _aligned(rows, indent="  ")
    return "\n".join(lines) + "\n"
