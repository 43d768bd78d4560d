"""Everything a check needs, prepared once from config and options: used by the CLI and Sphinx."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ..elections.windows import IN_WINDOW, Window, window_by_id
from ..inputs.sources import DEFAULT_MAX_BYTES
from ..model import PurdahError, Record
from .checker import DEFAULT_MAX_SECONDS, CheckSettings
from .config import Config
from .interface import CLI, Interface


class Options(Record):
    """The choices a caller makes beyond the config file."""

    __slots__ = ("as_of", "as_of_source", "as_of_forced", "packs", "select", "ignore", "in_window", "window",
                 "waivers", "only_central_waivers", "report_unused_waivers", "interface", "language")

    def __init__(self, as_of: dt.date, as_of_source: str, as_of_forced: bool = False, packs: tuple[str, ...] = (),
                 select: tuple[str, ...] = (), ignore: tuple[str, ...] = (), in_window: bool = False,
                 window: str | None = None, waivers: str | None = None, only_central_waivers: bool = False,
                 report_unused_waivers: bool = False, interface: Interface = CLI, language: str | None = None):
        self.as_of = as_of
        self.as_of_source = as_of_source
        self.as_of_forced = as_of_forced
        self.packs = packs
        self.select = select
        self.ignore = ignore
        self.in_window = in_window
        self.window = window
        self.waivers = waivers
        self.only_central_waivers = only_central_waivers
        self.report_unused_waivers = report_unused_waivers
        self.interface = interface
        self.language = language  # --lang / purdah_language: wins over the config's language


class Prepared(Record):
    """Settings for checking, and what reports need to know about them."""

    __slots__ = ("settings", "rules", "windows", "central", "central_path", "calendar_files", "warnings",
                 "report_unused_waivers")

    def __init__(self, settings: CheckSettings, rules: list, windows: list[Window], central: list,
                 central_path: str | None, calendar_files: tuple[str, ...] = (), warnings: tuple[str, ...] = (),
                 report_unused_waivers: bool = False):
        self.settings = settings
        self.rules = rules
        self.windows = windows
        self.central = central
        self.central_path = central_path
        self.calendar_files = calendar_files
        self.warnings = warnings  # about the run itself, such as a calendar running out
        self.report_unused_waivers = report_unused_waivers  # judge every central entry, whichever files the run checks


def resolved_windows(config: Config) -> list[Window]:
    """The windows binding the configured organisation."""
    return windows_and_warnings(config, None)[0]


def windows_and_warnings(config: Config, as_of: dt.date | None) -> tuple[list[Window], tuple[str, ...]]:
    """The windows binding the configured organisation, and a warning if the calendar runs out after ``as_of``."""
    if not (config.organisation_type or config.windows or config.areas):
        return [], ()  # no calendar to consult: spare every run without one the calendar's cost
    from ..elections.uk_calendar import calendar_runs_out, organisation_of, resolve_windows

    organisation = organisation_of(config)
    windows = resolve_windows(organisation)
    warning = calendar_runs_out(windows, organisation, as_of) if as_of else None
    return windows, (warning,) if warning else ()


def fixed_windows(windows: list[Window], in_window: bool, election_id: str | None,
                  calendar_files: tuple[str, ...] = (), setting: str = "--window") -> tuple[Window, ...] | None:
    """The windows every document is treated as inside (``--in-window`` or ``--window ID``), if any.

    ``--window`` may name any calendar election, not only those binding the organisation.
    """
    if in_window:
        return (IN_WINDOW,)
    if election_id:
        from ..elections.uk_calendar import calendar_windows

        return (window_by_id(windows + calendar_windows(calendar_files), election_id, setting),)
    return None


def prepare(config: Config, options: Options) -> Prepared:
    """Load rules and waivers, resolve windows and selection into check settings."""
    from ..ruleset.codes import META_CODES
    from ..ruleset.packs import load_packs
    from ..ruleset.selection import select_rules, selected_names

    all_rules = load_packs(config.packs + list(options.packs))
    select = list(options.select) or config.select
    ignore = list(options.ignore) or config.ignore
    interface = options.interface
    language = options.language or config.language
    if language not in (None, "en"):  # the translations module is imported only for messages in another language
        from ..ruleset.translations import localised

        all_rules = localised(all_rules, language)
    rules = select_rules(all_rules, select, ignore, names=(
        interface.setting("select") if options.select else f"'select' in {config.path}",
        interface.setting("ignore") if options.ignore else f"'ignore' in {config.path}"))
    windows, warnings = windows_and_warnings(config, options.as_of)
    fixed = fixed_windows(windows, options.in_window, options.window, tuple(config.calendar_files),
                          interface.setting("window"))
    central_path = _central_waivers_path(options, config)
    central = _load_central(central_path)
    settings = CheckSettings(
        rules=tuple(rules), windows=tuple(windows), as_of=options.as_of, as_of_source=options.as_of_source,
        as_of_forced=options.as_of_forced, fixed_windows=fixed, lead_in_days=config.lead_in_days,
        max_bytes=config.max_file_bytes or DEFAULT_MAX_BYTES,
        max_seconds=config.max_seconds_per_file or DEFAULT_MAX_SECONDS, central_waivers=tuple(central),
        inline_waivers=not (options.only_central_waivers or config.only_central_waivers),
        known_codes=frozenset(rule.code for rule in all_rules) | frozenset(META_CODES),
        selected=selected_names(all_rules, select, ignore), consultation_paths=tuple(config.consultation_paths),
        language=language,
    )
    return Prepared(settings, rules, windows, central, central_path, tuple(config.calendar_files), warnings,
                    options.report_unused_waivers or config.report_unused_waivers)


def _central_waivers_path(options: Options, config: Config) -> str | None:
    if options.waivers:
        if not Path(options.waivers).is_file():
            raise PurdahError(f"{options.waivers}: waiver file not found")
        return options.waivers
    if config.waivers:
        if not Path(config.waivers).is_file():
            raise PurdahError(f"{config.path}: waivers = {config.waivers!r}: file not found")
        return config.waivers
    beside = Path(config.path).parent if config.path else Path.cwd()
    default = beside / "purdah-waivers.yaml"
    if not default.is_file():
        return None
    relative = os.path.relpath(default)
    return default.as_posix() if relative.startswith("..") else relative


def _load_central(path: str | None) -> list:
    if path is None:
        return []
    from ..governance.waivers import load_central

    return load_central(path)


def central_result(prepared: Prepared, results: list):
    """The waiver file's own entry: governance of its waivers, judged once for the whole run."""
    from ..governance.central_reach import CentralReach
    from ..governance.waivers import central_governance
    from .checker import FileResult

    settings = prepared.settings
    used = set().union(*(result.central_used for result in results))
    judged = [result for result in results if result.windows]
    reach = CentralReach(prepared.central_path, [result.path for result in results if not result.error],
                         prepared.report_unused_waivers)
    findings = central_governance(prepared.central, used, settings.as_of, settings.known_codes, settings.selected,
                                  bool(judged), all(result.lead_in for result in judged), reach)
    findings = [f for f in findings if f.code in settings.selected]
    return FileResult(prepared.central_path, "waivers", as_of=settings.as_of, as_of_source=settings.as_of_source,
                      findings=findings)
