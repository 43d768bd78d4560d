"""The ``purdah-lint`` command: argument parsing and output only; the work is in the core."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import os
import sys
from pathlib import Path

from . import __version__
from .safety.display import brief, json_safe, printable, printable_lines
from .model import ExitCode, PurdahError
from .reporters import FORMATS as CHECK_FORMATS
from .run.config import FAIL_LEVELS, Config, find_config, load_config

FORMATS = ("text", "json")  # for listings; check has more
SIGPIPE_EXIT = 141  # what a shell reports for a writer whose reader closed the pipe (128 + SIGPIPE)

DESCRIPTION = """\
Check draft press releases, web pages and consultation documents for text that
would need sign-off if published during a pre-election period.

purdah-lint flags sentences for a person to review. It never changes a file."""

CHECK_EPILOG = """\
examples:
  purdah-lint check news/                      check every draft in a folder
  purdah-lint check draft.md --as-of 2024-04-15
                                               as if publishing on 15 April 2024
  purdah-lint check drafts/ --in-window        review as if a period had started
  purdah-lint check site/ --format json --output report.json
  purdah-lint check drafts/ --format html --output report.html
                                               a page for reviewers and sign-off

exit codes: 0 nothing at or above the fail level, 1 findings at or above it,
            2 a usage, configuration or rule-pack error, or a file that could not be read."""


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def _jobs(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or int(value[:12]) < 1:
        raise argparse.ArgumentTypeError(f"{brief(value)} is not a whole number of 1 or more")
    return int(value[:12]) if len(value) <= 12 else 10 ** 12  # capped where the pool starts


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter, set up (reading the terminal's width) only when help or usage is written.

    argparse makes a formatter for each option it adds, to check its metavar, and each one read the
    width through ``shutil``: importing that (with its compression modules) cost a check's start-up.
    """

    def __init__(self, prog: str, **settings) -> None:
        self._settings = (prog, settings)

    def __getattr__(self, name: str):
        if "_prog" in vars(self):  # set up already, so the attribute does not exist
            raise AttributeError(name)
        prog, settings = self._settings
        super().__init__(prog, **settings)  # the first use of any formatting state
        return getattr(self, name)


@contextlib.contextmanager
def _argparse_words_as_written():
    """While parsers are built, argparse's own words (group titles, ``-h``'s help) are used as written.

    argparse asks gettext for a translation of each, and every lookup imports ``locale`` and
    searches for catalogues that CPython does not ship: about 5 M instructions, a tenth of a small
    check's start-up. purdah-lint's own text is English, so the help reads the same. Showing help or
    an error still goes through gettext.
    """
    translate = argparse._  # noqa: SLF001 - argparse looks its gettext up by this name on each call
    argparse._ = str  # noqa: SLF001
    try:
        yield
    finally:
        argparse._ = translate  # noqa: SLF001


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: every sub-command, or only ``command`` when it names one."""
    with _argparse_words_as_written():
        return _parser(command)


def _parser(command: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="purdah-lint", description=DESCRIPTION, formatter_class=_HelpFormatter)
    parser.add_argument("--version", action="version", version=f"purdah-lint {__version__}")
    # Named here, as argparse would otherwise format a usage line (and read the terminal) to find it.
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog="purdah-lint")
    commands.required = True
    # Building every sub-command's options cost more than a small check; usage errors and the
    # overall help still see all of them, as any name that is not a command builds the lot.
    for name, add in COMMANDS.items():
        if command not in COMMANDS or command == name:
            add(commands)
    return parser


def _add_check(commands) -> None:
    check = commands.add_parser("check", help="check drafts for text that needs sign-off",
                                description=DESCRIPTION, epilog=CHECK_EPILOG, formatter_class=_HelpFormatter)
    _add_run_options(check)
    check.add_argument("--format", choices=CHECK_FORMATS, default="text",
                       help="report format: text, json, sarif (code scanning), github (annotations) or html "
                            "(a page for reviewers; use with --output); default text")
    check.add_argument("--output", metavar="FILE", help="write the report to FILE instead of the screen")
    check.add_argument("--fail-level", choices=FAIL_LEVELS,
                       help="lowest level that makes the exit code 1 (default: warning, or the config's)")
    check.add_argument("--diff-base", metavar="REF",
                       help="report only findings on lines changed since the git revision REF (e.g. origin/main)")
    check.add_argument("--baseline", metavar="FILE",
                       help="report only findings not recorded in this baseline (see 'purdah-lint baseline')")
    check.add_argument("--show-waived", action="store_true",
                       help="also list findings covered by a signed-off waiver (text format)")
    check.add_argument("--audit", metavar="FILE",
                       help="also write a Markdown audit summary for sign-off records to FILE")
    check.set_defaults(handler=run_check)


AUDIT_EPILOG = """\
sources:
  https://example.org/sitemap.xml             a sitemap or sitemap index (.xml or .xml.gz)
  https://example.org/                        any other URL: crawled within its host (--max-depth)
  urls.txt                                    a file of URLs, one per line
  export/                                     a folder of saved pages
  export.jsonl                                JSON Lines: url, title, html or text, published, modified

examples:
  purdah-lint audit https://www.example-trust.nhs.uk/sitemap.xml --workers 4
  purdah-lint audit urls.txt --store march.sqlite --format json --output march.json
  purdah-lint audit urls.txt --store march.sqlite --resume     finish an interrupted audit
  purdah-lint audit urls.txt --store april.sqlite --since march.sqlite

exit codes: 0 nothing at or above the fail level, 1 findings at or above it,
            2 a usage, configuration or source error. URLs that failed are counted, not exit 2."""


def _add_audit(commands) -> None:
    audit = commands.add_parser("audit", help="check a published website (sitemap, URL list, crawl or export)",
                                description="Check what is already published, on Dask: every URL ends checked, "
                                            "skipped or failed, and results are kept in a SQLite store as they "
                                            "arrive so that --resume can finish an interrupted audit.",
                                epilog=AUDIT_EPILOG, formatter_class=_HelpFormatter)
    audit.add_argument("sources", nargs="+", metavar="SOURCE", help="sitemap URL, start URL, URL file or export")
    _add_rule_options(audit)
    audit.add_argument("--format", choices=("text", "json", "sarif", "github", "html"), default="text",
                       help="report format (default text)")
    audit.add_argument("--output", metavar="FILE", help="write the report to FILE instead of the screen")
    audit.add_argument("--fail-level", choices=FAIL_LEVELS,
                       help="lowest level that makes the exit code 1 (default: warning, or the config's)")
    audit.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in this baseline")
    audit.add_argument("--show-waived", action="store_true", help="also list waived findings (text format)")
    audit.add_argument("--store", metavar="FILE", default="purdah-audit.sqlite",
                       help="SQLite results store, written as results arrive (default: purdah-audit.sqlite)")
    audit.add_argument("--resume", action="store_true",
                       help="finish the audit in --store: URLs already recorded are neither fetched nor counted again")
    audit.add_argument("--since", metavar="STORE", help="compare with an earlier audit's store: new, still present, "
                                                        "resolved")
    audit.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on the Dask cluster at ADDRESS (default: $DASK_SCHEDULER_ADDRESS, else a local one)")
    audit.add_argument("--workers", type=_jobs, metavar="N", help="worker processes of the local cluster (default 2)")
    audit.add_argument("--max-pages", type=_jobs, metavar="N", help="fetch at most N URLs; the rest are counted "
                                                                    "as skipped")
    audit.add_argument("--max-depth", type=int, default=2, metavar="N",
                       help="how many links deep to crawl from a start URL (default 2)")
    audit.add_argument("--per-host", type=_jobs, default=4, metavar="N",
                       help="requests in progress at once to one host (default 4)")
    audit.add_argument("--delay", type=float, default=0.0, metavar="SECONDS",
                       help="pause between requests to one host (default 0)")
    audit.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                       help="give up on a page after this long (default 10)")
    audit.add_argument("--max-redirects", type=int, default=5, metavar="N", help="redirects followed (default 5)")
    audit.add_argument("--max-page-bytes", type=_jobs, default=10 * 1024 * 1024, metavar="N",
                       help="larger pages are skipped (default 10485760)")
    audit.add_argument("--cache", metavar="DIR", default=".purdah-cache",
                       help="keep pages here and ask servers only whether they changed (default .purdah-cache)")
    audit.add_argument("--no-cache", action="store_true", help="fetch every page in full, keep nothing")
    audit.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                       help="show a progress line (default: on a terminal, not in CI)")
    audit.set_defaults(handler=run_audit)


def _add_baseline(commands) -> None:
    baseline = commands.add_parser("baseline", help="record current findings so check reports only new ones",
                                   description="Record the findings in PATHS by content (not line numbers), so "
                                               "that 'check --baseline FILE' reports only findings added since.")
    _add_run_options(baseline)
    baseline.add_argument("-o", "--output", metavar="FILE", default="purdah-baseline.json",
                          help="baseline file to write (default: purdah-baseline.json)")
    baseline.set_defaults(handler=run_baseline, diff_base=None, baseline=None)


def _add_rules(commands) -> None:
    rules = commands.add_parser("rules", help="list the rules: code, name, category, level, summary")
    rules.add_argument("--config", metavar="FILE", help="config file (default: found from the current folder)")
    rules.add_argument("--pack", action="append", metavar="DIR", default=[], help="also load this rule folder")
    rules.add_argument("--format", choices=FORMATS, default="text")
    _add_language_option(rules)
    rules.set_defaults(handler=run_rules)


def _add_explain(commands) -> None:
    explain = commands.add_parser("explain", help="show a rule's guidance, examples and who signs it off")
    explain.add_argument("code", metavar="CODE", help="a code such as PE301, or a rule name")
    explain.add_argument("--config", metavar="FILE")
    explain.add_argument("--pack", action="append", metavar="DIR", default=[])
    _add_language_option(explain)
    explain.set_defaults(handler=run_explain)


def _add_eval(commands) -> None:
    evaluation = commands.add_parser("eval", help="measure detection quality on a labelled corpus",
                                     description="Score the rules on a folder of drafts with a labels.yaml "
                                                 "(schema purdah-corpus/1): precision, recall and F1 per category, "
                                                 "hard negatives kept clean, and evidence quotes found; a table for "
                                                 "the whole corpus and one per split. With --negative, count "
                                                 "findings per 100,000 words on prose that should raise none.")
    evaluation.add_argument("corpus", metavar="CORPUS", help="folder holding labels.yaml and the drafts it lists")
    evaluation.add_argument("--split", metavar="NAME", help="score only the documents labelled with this split")
    evaluation.add_argument("--negative", action="store_true",
                            help="CORPUS is unlabelled prose outside the domain: every finding is a false positive")
    evaluation.add_argument("--misses", action="store_true",
                            help="also list evidence quotes no finding points at (with --negative: every finding)")
    evaluation.add_argument("--by-rule", action="store_true",
                            help="also print each rule's precision: of the documents it flagged, the share labelled "
                                 "with its category (for choosing which rules may be errors)")
    evaluation.add_argument("--jobs", type=_jobs, metavar="N")
    evaluation.set_defaults(handler=run_eval)


def _add_windows(commands) -> None:
    windows = commands.add_parser("windows", help="list the pre-election windows and their status",
                                  description="List the pre-election windows that bind the configured organisation. "
                                              "'windows import FILE...' adds saved Every Election data to a "
                                              "calendar file named in the calendar_files setting.")
    _add_date_options(windows, "the day to show each window's status for (default: the config's as_of, "
                               "then today)")
    windows.add_argument("--format", choices=FORMATS, default="text")
    windows.add_argument("--check", action="store_true",
                         help="exit 1 when the calendar holds no election for the organisation more than six months "
                              "after the as-of date (for a scheduled CI job)")
    windows.set_defaults(handler=run_windows)
    windows_actions = windows.add_subparsers(dest="windows_action", metavar="import")
    importing = windows_actions.add_parser(
        "import", help="add saved Every Election results (JSON pages or CSV) to a calendar file",
        description="Read elections saved from Democracy Club's Every Election (API results as JSON, one or many "
                    "pages, or its CSV), check their ids, and merge them into a calendar file: --into FILE, or the "
                    "first of calendar_files in the config. Each entry records where it came from; cancelled and "
                    "replaced polls are kept, marked.")
    importing.add_argument("files", nargs="+", metavar="FILE", help="saved Every Election JSON or CSV files")
    importing.add_argument("--into", metavar="FILE", help="calendar file to write (default: the config's first "
                                                          "calendar_files entry)")
    importing.add_argument("--config", metavar="FILE", help=argparse.SUPPRESS)
    importing.set_defaults(handler=run_windows_import)


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by check and baseline: what to check, when, with which rules."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to check")
    _add_rule_options(parser)
    parser.add_argument("--report-unused-waivers", action="store_true",
                        help="report every central waiver entry that waives nothing, even when this run checks "
                             "only some of the files it names")
    parser.add_argument("--jobs", type=_jobs, metavar="N",
                        help="check files in N processes (default: one per CPU, for folders large enough to gain)")


def _add_rule_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by check, baseline and audit: when, with which rules and waivers."""
    _add_date_options(parser, "the publication date to check against (default: the document's own date, "
                              "then the config's as_of, then today)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--in-window", action="store_true",
                      help="treat every document as inside a pre-election period, whatever the date")
    mode.add_argument("--window", metavar="ID",
                      help="treat every document as inside this election's window, e.g. pcc.2024-05-02")
    parser.add_argument("--pack", action="append", metavar="DIR", default=[],
                        help="also load the rules in this folder (repeatable)")
    parser.add_argument("--select", action="append", metavar="CODES",
                        help="only these codes, code prefixes, categories or rule names (comma-separated)")
    parser.add_argument("--ignore", action="append", metavar="CODES",
                        help="skip these codes, code prefixes, categories or rule names (comma-separated)")
    parser.add_argument("--waivers", metavar="FILE",
                        help="central waiver file (default: purdah-waivers.yaml beside the config)")
    parser.add_argument("--only-central-waivers", action="store_true",
                        help="ignore waivers written inside drafts; accept only the central waiver file")
    _add_language_option(parser)


def _add_language_option(parser: argparse.ArgumentParser) -> None:
    from .inputs.languages import LANGUAGES

    parser.add_argument("--lang", choices=LANGUAGES, metavar="LANG",
                        help="the language of the drafts and of the messages: en or cy (default: the config's "
                             "language; without one, each block's language is detected and messages are in English)")


def _add_date_options(parser: argparse.ArgumentParser, as_of_help: str) -> None:
    parser.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help=as_of_help)
    parser.add_argument("--config", metavar="FILE",
                        help="config file (default: .purdah-lint.toml or pyproject.toml, "
                             "searched from the current folder upwards)")


def _config(args) -> Config:
    path = Path(args.config) if getattr(args, "config", None) else find_config(Path.cwd())
    if args.config and not os.path.exists(args.config):
        raise PurdahError(f"{args.config}: config file not found")
    return load_config(path)


def _as_of(args, config: Config) -> tuple[dt.date, str]:
    from .run.report import as_of_for

    return as_of_for(args.as_of, "option", config)


def _catalogue(args):
    from .ruleset.codes import META_CODES
    from .ruleset.packs import load_packs

    from .ruleset.translations import localised

    config = _config(args)
    return META_CODES, localised(load_packs(config.packs + list(args.pack)), args.lang or config.language)


def _options(args, config: Config):
    """The run options the shared rule, date and waiver flags ask for."""
    from .run.preparation import Options
    from .ruleset.selection import split_items

    as_of, as_of_source = _as_of(args, config)
    return Options(
        as_of=as_of, as_of_source=as_of_source, as_of_forced=args.as_of is not None, packs=tuple(args.pack),
        select=tuple(split_items(args.select)), ignore=tuple(split_items(args.ignore)), in_window=args.in_window,
        window=args.window, waivers=args.waivers, only_central_waivers=args.only_central_waivers,
        report_unused_waivers=getattr(args, "report_unused_waivers", False),
        language=args.lang)


def _report(args):
    """Check the paths as the options say and print each file's notes and errors; return the report and config."""
    from .run.pool import JOBS_PER_CPU, max_jobs
    from .run.session import check

    config = _config(args)
    options = _options(args, config)
    if args.jobs and args.jobs > max_jobs():
        print(f"purdah-lint: note: --jobs {args.jobs} is more than {JOBS_PER_CPU} per CPU; using {max_jobs()}",
              file=sys.stderr)
    report = check(args.paths, config, options, args.jobs, args.diff_base, args.baseline, outputs=_outputs(args))
    for warning in report.warnings:
        print(f"purdah-lint: warning: {printable(warning)}", file=sys.stderr)
    for result in report.files:
        for notice in result.notices:
            print(f"{printable(result.path)}: note: {printable(notice)}", file=sys.stderr)
        if result.error:
            print(f"{printable(result.path)}: error: {printable(result.error)}", file=sys.stderr)
    return report, config


def _outputs(args) -> dict[str, str | None]:
    """The files a run writes, by the option that names them."""
    if args.command == "baseline":
        return {"-o": args.output}
    return {"--output": args.output, "--audit": args.audit}


def _listing(text: str, output_format: str) -> str:
    """A listing safe to print: JSON with command markers escaped, text with every line neutralised."""
    return json_safe(text) if output_format == "json" else printable_lines(text)


def _write(write, output: str | None) -> None:
    """Call ``write(handle)`` with the output file (atomically) or standard output; errors name the file."""
    from .safety.writing import write_text

    write_text(output, write)


def run_check(args) -> int:
    """``purdah-lint check``."""
    from .reporters import write_report

    report, config = _report(args)
    if args.audit:
        from .reporters.audit import render as audit

        _write(lambda handle: handle.write(audit(report)), args.audit)
    _write(lambda handle: write_report(report, args.format, handle, show_waived=args.show_waived), args.output)
    if args.format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        _append_job_summary(report, os.environ["GITHUB_STEP_SUMMARY"])
    return report.exit_code(args.fail_level or config.fail_level)


def run_baseline(args) -> int:
    """``purdah-lint baseline``: record current findings so that check reports only new ones."""
    from .reporters.baseline import render

    report, _ = _report(args)
    if report.errors:
        return ExitCode.ERROR
    text, count = render(report)
    _write(lambda handle: handle.write(text), args.output)
    print(f"Recorded {count} findings in {args.output}; "
          f"'purdah-lint check --baseline {args.output}' now reports only new ones.", file=sys.stderr)
    return ExitCode.OK


def _append_job_summary(report, path: str) -> None:
    from .reporters.github import job_summary

    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(job_summary(report))
    except OSError as exc:
        print(f"purdah-lint: note: cannot write the job summary to {printable(path)}: {exc.strerror or exc}",
              file=sys.stderr)


def run_rules(args) -> int:
    """``purdah-lint rules``."""
    from .reporters.listings import rules_listing

    sys.stdout.write(_listing(rules_listing(*_catalogue(args), args.format), args.format))
    return ExitCode.OK


def run_explain(args) -> int:
    """``purdah-lint explain CODE``."""
    from .reporters.listings import explanation
    from .ruleset.selection import look_up

    _, rules = _catalogue(args)
    language = args.lang or _config(args).language or "en"
    item = look_up(args.code, rules, language)
    twins = tuple(dict.fromkeys(rule.language for rule in rules if getattr(item, "code", None) == rule.code
                                and rule.language != item.language)) if hasattr(item, "language") else ()
    sys.stdout.write(printable_lines(explanation(item, language, twins)))
    return ExitCode.OK


def run_eval(args) -> int:
    """``purdah-lint eval CORPUS``."""
    from .run.evaluate import (evaluate, evaluate_negative, languages, render, render_by_rule, render_languages,
                               render_negative, splits)

    corpus = Path(args.corpus)
    if args.negative:
        negative = evaluate_negative(corpus, args.jobs)
        sys.stdout.write(render_negative(negative))
        if args.misses:
            print("\n".join(["", "findings:", *negative.findings]))
        return _unreadable_reported(negative.unreadable)
    names = [args.split] if args.split else [None, *splits(corpus)]
    corpus_languages = languages(corpus)
    unreadable: list[str] = []
    for number, name in enumerate(names):
        evaluation = evaluate(corpus, args.jobs, name)
        unreadable.extend(item for item in evaluation.unreadable if item not in unreadable)
        title = f"split: {name}" if name else ("all documents" if len(names) > 1 else None)
        sys.stdout.write(("\n" if number else "") + render(evaluation, f"{title} ({evaluation.documents} documents)"
                                                          if title else None))
        if args.by_rule:
            sys.stdout.write("\n" + render_by_rule(evaluation))
        if corpus_languages:
            by_language = {language: evaluate(corpus, args.jobs, name, language) for language in corpus_languages}
            sys.stdout.write("content categories by language (micro):\n" + render_languages(by_language))
        if args.misses:
            print("\n".join(["", "evidence not pointed at:", *evaluation.misses]))
    return _unreadable_reported(unreadable)


def _unreadable_reported(unreadable: list[str]) -> int:
    """Name each document ``eval`` could not read (left out of the figures above) and choose the exit code."""
    for item in unreadable:
        print(f"purdah-lint: error: {item} (left out of the figures)", file=sys.stderr)
    return ExitCode.ERROR if unreadable else ExitCode.OK


def run_windows(args) -> int:
    """``purdah-lint windows``: the windows that bind the configured organisation."""
    from .reporters.listings import windows_listing
    from .run.preparation import windows_and_warnings

    config = _config(args)
    as_of, as_of_source = _as_of(args, config)
    windows, warnings = windows_and_warnings(config, as_of)
    for warning in warnings:
        print(f"purdah-lint: warning: {warning}", file=sys.stderr)
    sys.stdout.write(_listing(windows_listing(config, windows, as_of, as_of_source, args.format), args.format))
    return ExitCode.FINDINGS if args.check and warnings else ExitCode.OK


def run_windows_import(args) -> int:
    """``purdah-lint windows import FILE...``: merge saved Every Election data into a calendar file."""
    from .elections.calendar_files import merge_into
    from .elections.every_election import read_every_election

    config = _config(args)
    target = args.into or (config.calendar_files[0] if config.calendar_files else None)
    if target is None:
        raise PurdahError("no calendar file to write: pass --into FILE, or set calendar_files = [\"elections.yaml\"] "
                          "in [tool.purdah-lint] so that check, windows and Sphinx read it too")
    from .run.report import today
    from .safety.writing import refuse_inputs

    refuse_inputs({"--into": target}, [*((path, "a file being imported") for path in args.files),
                                       *(((config.path, "the config"),) if config.path else ())])
    imported_on = today()
    entries = [entry for path in args.files for entry in read_every_election(Path(path), imported_on)]
    new, updated = merge_into(Path(target), entries)
    inactive = sum(entry["status"] in ("cancelled", "replaced") for entry in entries)
    print(f"Imported {len(entries)} elections into {target}: {new} new, {updated} updated, "
          f"{inactive} cancelled or replaced.")
    if not args.into and target not in config.calendar_files:
        print(f"Add {target!r} to calendar_files in the config so that checks use it.", file=sys.stderr)
    return ExitCode.OK


def run_audit(args) -> int:
    """``purdah-lint audit``: check a published website (or an export of one) on Dask."""
    try:
        from .audit.runner import Politeness
        from .audit.session import AuditRequest, audit
        from .inputs.web.fetch import FetchLimits
    except ImportError as exc:
        raise PurdahError(f"audit needs the audit extra ({exc.name} is missing): "
                          "pip install 'purdah-lint[audit]'") from None

    config = _config(args)
    request = AuditRequest(
        sources=args.sources, store=args.store, resume=args.resume, scheduler=args.scheduler, workers=args.workers,
        max_depth=args.max_depth, politeness=Politeness(args.per_host, args.delay, args.max_pages),
        limits=FetchLimits(args.timeout, args.max_redirects, args.max_page_bytes,
                           None if args.no_cache else os.path.abspath(args.cache)),  # workers have their own folder
        baseline=args.baseline, since=args.since, progress=args.progress)
    outcome = audit(request, config, _options(args, config))
    if args.format == "json":
        _write(outcome.write_json, args.output)
    elif args.format == "html":
        _write(outcome.write_html, args.output)
    elif args.format == "text":
        _write(lambda handle: outcome.write_text(handle, args.show_waived), args.output)
    else:
        from .reporters import format_report

        _write(lambda handle: handle.write(format_report(outcome.report(), args.format)), args.output)
    if args.output:
        from .audit.output import summary_text

        print(summary_text(outcome.totals()), file=sys.stderr)
    return ExitCode.FINDINGS if outcome.fails(args.fail_level or config.fail_level) else ExitCode.OK


COMMANDS = {"check": _add_check, "baseline": _add_baseline, "rules": _add_rules, "explain": _add_explain,
            "eval": _add_eval, "windows": _add_windows, "audit": _add_audit}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``purdah-lint`` console script."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")  # undecodable file names stay visible, never fatal
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    try:
        code = int(args.handler(args))
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except BrokenPipeError:
        # The reader stopped early (`| head`): end quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return SIGPIPE_EXIT
    except PurdahError as exc:
        print(f"purdah-lint: error: {printable(exc)}", file=sys.stderr)
        return int(ExitCode.ERROR)
    except KeyboardInterrupt:
        print("purdah-lint: interrupted", file=sys.stderr)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        # Exit now: the interpreter's exit would wake the stopped worker pool's manager thread through
        # a pipe Ctrl-C may have closed, printing a traceback after this line (1 run in 8 or more).
        os._exit(130)


def run() -> int:
    """The ``purdah-lint`` console script and ``python -m purdah_lint``: :func:`main`, as the process then exits."""
    code = main()
    # Frozen, what is still alive is left out of the collector's last full pass as the interpreter
    # exits: that pass walks every live object, the imported libraries' as well as the check's (about
    # 27 M instructions after a small check), and could free only cycles, whose memory goes with the
    # process anyway. Every output is closed by now; exit handlers and flushing run as before.
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(run())
