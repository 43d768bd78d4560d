"""Checking each page as Sphinx reads it: doctree to segments, findings to typed warnings."""

from __future__ import annotations

import os
import weakref
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ConfigError
from sphinx.util import logging

from ..elections.dates import parse_date
from ..inputs.languages import LANGUAGES, primary
from ..inputs.readers.doctree import SKIPPED_BLOCKS, SKIPPED_INLINE, DoctreeReader
from ..inputs.sources import read_text
from ..safety.display import printable
from ..model import InputError, PurdahError, Severity
from ..run.checker import FileResult, TimeLimitExceeded, check_document, time_limit, time_limit_message, unexpected
from ..run.config import FAIL_LEVELS, Config, load_config
from ..run.interface import SPHINX
from ..run.preparation import Options, fixed_windows, prepare
from ..run.report import as_of_for
from .directives import page_settings, waiver_marker

logger = logging.getLogger(__name__)
# Prepared rules and settings for each build, by its environment (forked parallel readers inherit it).
PREPARED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
SPHINX_SKIPPED_BLOCKS = SKIPPED_BLOCKS + (addnodes.toctree, addnodes.index, addnodes.desc_signature,
                                          addnodes.productionlist, page_settings)
SPHINX_SKIPPED_INLINE = SKIPPED_INLINE + (waiver_marker, addnodes.desc_sig_element, addnodes.literal_emphasis,
                                          addnodes.literal_strong)
MARKDOWN_SUFFIXES = (".md", ".markdown")


def validate_config(app, config) -> None:
    """Reject bad ``purdah_*`` values with a clear Sphinx configuration error."""
    if config.purdah_as_of:
        try:
            parse_date(config.purdah_as_of, "purdah_as_of")
        except PurdahError as exc:
            raise ConfigError(str(exc)) from None
    if config.purdah_fail_level not in FAIL_LEVELS:
        raise ConfigError(f"purdah_fail_level is {config.purdah_fail_level!r}; allowed: {', '.join(FAIL_LEVELS)}")
    for name in ("purdah_select", "purdah_ignore", "purdah_packs"):
        if not all(isinstance(item, str) for item in getattr(config, name)):
            raise ConfigError(f"{name} must be a list of strings")
    if config.purdah_language is not None and config.purdah_language not in LANGUAGES:
        raise ConfigError(f"purdah_language is {config.purdah_language!r}; allowed: {', '.join(LANGUAGES)}")
    if config.purdah_config and not (Path(app.srcdir) / config.purdah_config).is_file():
        raise ConfigError(f"purdah_config: {config.purdah_config!r} not found in the source folder")


def sphinx_language(config) -> str | None:
    """``purdah_language``, else Welsh when the project's ``language`` is Welsh; None: detect per block.

    Sphinx's own ``language`` defaults to English, so only a Welsh project language is taken as a choice.
    """
    if config.purdah_language:
        return config.purdah_language
    return "cy" if primary(config.language) == "cy" else None


def prepare_context(app) -> None:
    """Load rules, windows and waivers once per build (shared with parallel readers)."""
    config = app.config
    try:
        settings_file = Path(app.srcdir) / config.purdah_config if config.purdah_config else None
        purdah_config = load_config(settings_file) if settings_file else Config()
        chosen = parse_date(config.purdah_as_of, "purdah_as_of") if config.purdah_as_of else None
        as_of, source = as_of_for(chosen, "option", purdah_config)
        PREPARED[app.env] = prepare(purdah_config, Options(
            as_of=as_of, as_of_source=source, packs=tuple(str(Path(app.srcdir) / p) for p in config.purdah_packs),
            select=tuple(config.purdah_select), ignore=tuple(config.purdah_ignore),
            in_window=config.purdah_in_window, window=config.purdah_window, interface=SPHINX,
            language=sphinx_language(config)))
        for warning in PREPARED[app.env].warnings:
            logger.warning(f"purdah-lint: {warning}", type="purdah", subtype="calendar")
    except PurdahError as exc:
        raise ConfigError(f"purdah-lint: {exc}") from None


def collect(app, doctree: nodes.document) -> None:
    """Check the page just read; keep the results and warn about what needs sign-off."""
    if app.env not in PREPARED:
        prepare_context(app)
    prepared = PREPARED[app.env]
    env = app.env
    docname = env.docname
    main_source = str(env.doc2path(docname))
    srcdir = str(app.srcdir)
    page = next(iter(doctree.findall(page_settings)), None)
    reader = DoctreeReader(
        read_source=_read_source, shown_path=lambda path: Path(os.path.relpath(path, srcdir)).as_posix(),
        skipped_blocks=SPHINX_SKIPPED_BLOCKS, skipped_inline=SPHINX_SKIPPED_INLINE,
        format="markdown" if main_source.endswith(MARKDOWN_SUFFIXES) else "rst", markers=(waiver_marker,))
    documents = reader.read(doctree, main_source)
    main = documents.get(main_source)
    if main is not None:
        main.metadata.update({key: value for key, value in env.metadata.get(docname, {}).items()})
        if page is not None and page.get("waiver"):
            main.waiver_declaration = (page["waiver"], page.line or 1)
    as_of_override, fixed = _page_overrides(page, prepared, docname)
    results = []
    for path, document in documents.items():
        result = _check(document, prepared, as_of_override, fixed)
        results.append(result)
        if app.config.purdah_warn:
            _report(result, docname, path == main_source, path)
    env.get_domain("purdah").results[docname] = results
    for node in list(doctree.findall(lambda n: isinstance(n, (waiver_marker, page_settings)))):
        node.parent.remove(node)


def _read_source(path: str) -> str | None:
    """A page's source as the CLI reads it (encodings, newlines), or None when it cannot be read."""
    try:
        return read_text(path).text
    except InputError:
        return None


def _page_overrides(page, prepared, docname: str):
    """The page's own as-of date and windows; a bad one is a warning at the directive, and is ignored."""
    if page is None:
        return None, None
    location = (docname, page.line or 1)
    as_of = None
    if page.get("as_of"):
        try:
            as_of = (parse_date(page["as_of"], "purdah-page :as-of:"), "page")
        except PurdahError as exc:
            _setting_warning(f"{exc}; the page is checked with the build's date", location)
    try:
        fixed = fixed_windows(prepared.windows, page.get("in_window"), page.get("window"), prepared.calendar_files,
                              "purdah-page :window:")
    except PurdahError as exc:
        _setting_warning(f"{exc}; the page is checked with the build's windows", location)
        fixed = None
    return as_of, fixed


def _setting_warning(message: str, location) -> None:
    logger.warning(printable(message), location=location, type="purdah", subtype="page")


def _check(document, prepared, as_of_override, fixed) -> FileResult:
    """Check one document within the per-file time limit (``max_seconds_per_file``), as the CLI does."""
    settings = prepared.settings
    try:
        with time_limit(settings.max_seconds):
            return check_document(document, settings, as_of_override, fixed)
    except TimeLimitExceeded:
        return FileResult(document.path, document.format, error=time_limit_message(settings.max_seconds))
    except RecursionError:
        return FileResult(document.path, document.format, error="markup is nested too deeply to parse")
    except Exception as exc:  # noqa: BLE001 - one page's failure must never stop the build
        return FileResult(document.path, document.format, error=unexpected(exc))


def _report(result: FileResult, docname: str, is_main: bool, path: str) -> None:
    if result.error:
        logger.warning(printable(f"PE005 error [meta] {result.error}"), location=docname, type="purdah",
                       subtype="PE005")
        return
    for finding in result.findings:
        if finding.waived is not None:
            continue
        window = f"; window: {', '.join(finding.windows)}" if finding.windows else ""
        text = (f"{finding.code} {finding.severity.label} [{finding.category}] {finding.message} "
                f"(column {finding.column}{window})")
        location = (docname, finding.line) if is_main else f"{path}:{finding.line}"
        if finding.severity >= Severity.WARNING:
            logger.warning(printable(text), location=location, type="purdah", subtype=finding.code)
        else:
            logger.info(printable(f"suggestion: {text}"), location=location)
