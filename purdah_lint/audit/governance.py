"""The central waiver file's own findings in an audit: entries malformed, expired, naming unknown codes, or unused."""

from __future__ import annotations

import fnmatch

from ..governance.central_reach import Reach
from ..governance.waivers import central_governance
from ..model import Finding
from ..run.preparation import Prepared
from .store import Store


def central_findings(prepared: Prepared, store: Store) -> list[Finding]:
    """Governance findings (PE001 to PE004) for the central waiver file, judged on the URLs the audit checked.

    An entry whose ``paths`` match no checked URL says nothing about this audit. One that matches some is
    unused, as a suggestion, when it waived nothing on them (an audit cannot know it saw every page a glob
    names); with ``report_unused_waivers`` every entry is judged, and unused is an error, as for ``check``.
    """
    if not prepared.central:
        return []
    settings = prepared.settings
    used: set[int] = set()
    reached: set[int] = set()
    judged = lead_in = 0
    for result in store.results():
        if result["state"] != "checked":
            continue
        used.update(result.get("central_used", []))
        if result.get("windows"):
            judged += 1
            lead_in += bool(result.get("lead_in"))
        reached.update(index for index, waiver in enumerate(prepared.central) if index not in reached and (
            not waiver.paths or any(fnmatch.fnmatchcase(result["url"], glob) for glob in waiver.paths)))
    positions = {id(waiver): index for index, waiver in enumerate(prepared.central)}

    def reach(waiver) -> Reach:
        if prepared.report_unused_waivers:
            return Reach.EVERYTHING
        return Reach.ALL if positions[id(waiver)] in reached else Reach.NONE

    findings = central_governance(prepared.central, used, settings.as_of, settings.known_codes, settings.selected,
                                  bool(judged), bool(judged) and lead_in == judged, reach)
    return [finding for finding in findings if finding.code in settings.selected]
