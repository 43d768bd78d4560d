"""Directives that document the rules and the calendar from their data, so docs never drift.

The generated content describes the rules rather than announcing anything, so it is marked
``purdah-skip`` and not itself checked.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..inputs.readers.doctree import SKIP_CLASS
from ..ruleset.codes import CATEGORIES, META_CODES


def _field_list(rows: list[tuple[str, str]]) -> nodes.field_list:
    fields = nodes.field_list()
    for name, value in rows:
        fields += nodes.field("", nodes.field_name(text=name), nodes.field_body("", nodes.paragraph(text=value)))
    return fields


def _examples(label: str, examples) -> list[nodes.Node]:
    return [nodes.paragraph(text=label), nodes.literal_block("\n".join(examples), "\n".join(examples))]


class RuleReference(SphinxDirective):
    """``.. purdah-rule-reference::``: every rule, by category, from the loaded packs."""

    def run(self):
        from ..ruleset.packs import load_packs

        container = nodes.container(classes=[SKIP_CLASS])
        from ..ruleset.selection import one_per_code

        rules = one_per_code(load_packs([str(self.env.srcdir / pack) for pack in self.config.purdah_packs]))
        meta = nodes.section(ids=["meta"], names=["meta"])
        meta += nodes.title(text="meta (PE0xx): waivers and unreadable input")
        for code in META_CODES.values():
            meta += self._entry(code.code, code.name, code.summary, [("Level", "error")], code.guidance, None)
        container += meta
        for category, (_, description) in CATEGORIES.items():
            chosen = [rule for rule in rules if rule.category == category]
            if not chosen:
                continue
            section = nodes.section(ids=[category], names=[category])
            section += nodes.title(text=f"{category}: {description}")
            for rule in chosen:
                rows = [("Category", rule.category), ("Default level", rule.level.label), ("Sign-off", rule.signoff)]
                if rule.topic:
                    rows.append(("Runs only in windows with the topic", rule.topic))
                section += self._entry(rule.code, rule.name, rule.summary, rows, rule.guidance, rule.examples)
            container += section
        return [container]

    @staticmethod
    def _entry(code, name, summary, rows, guidance, examples) -> nodes.section:
        entry = nodes.section(ids=[code.lower()], names=[code.lower()])
        entry += nodes.title(text=f"{code} {name}")
        entry += nodes.paragraph(text=f"{summary}.")
        entry += _field_list(rows)
        entry += nodes.paragraph(text=guidance)
        if examples:
            entry.extend(_examples("Flagged, for example:", examples["fail"]))
            entry.extend(_examples("Not flagged, for example:", examples["pass"]))
        return entry


class CalendarTable(SphinxDirective):
    """``.. purdah-calendar::``: the built-in election calendar as a table."""

    def run(self):
        from ..elections.uk_calendar import load_elections

        headers = ("Election id", "Election", "Polling day", "Status", "Regions", "Areas", "Topics")
        rows = [(e.id, e.name, f"{e.poll.day} {e.poll:%b %Y}", e.status, ", ".join(e.regions),
                 ", ".join(e.areas) or "all", ", ".join(e.topics)) for e in load_elections()]
        table = nodes.table(classes=[SKIP_CLASS])
        group = nodes.tgroup(cols=len(headers))
        table += group
        group.extend(nodes.colspec(colwidth=1) for _ in headers)
        head = nodes.thead()
        head += self._row(headers)
        body = nodes.tbody()
        body.extend(self._row(row) for row in rows)
        group += head
        group += body
        return [table]

    @staticmethod
    def _row(cells) -> nodes.row:
        row = nodes.row()
        for cell in cells:
            row += nodes.entry("", nodes.paragraph(text=cell))
        return row
