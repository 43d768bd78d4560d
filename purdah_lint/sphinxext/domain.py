"""The ``purdah`` domain: findings per document, kept in the environment across builds."""

from __future__ import annotations

from typing import Any

from sphinx.domains import Domain


class PurdahDomain(Domain):
    """Holds each document's check results so incremental and parallel builds report them all."""

    name = "purdah"
    label = "purdah-lint"
    initial_data: dict[str, Any] = {"results": {}}  # docname -> [FileResult]
    data_version = 1

    @property
    def results(self) -> dict[str, list]:
        """Check results by document name."""
        return self.data.setdefault("results", {})

    def clear_doc(self, docname: str) -> None:
        self.results.pop(docname, None)

    def merge_domaindata(self, docnames, otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata.get("results", {}):
                self.results[docname] = otherdata["results"][docname]

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        return []
