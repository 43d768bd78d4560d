"""Where the built-in packs live, and what a pack folder holds: rule files, vocabulary files in
``vocabularies/``, translated messages in ``messages/``.

Listing them needs no parsing, so a check whose packs are cached never imports the rule-file or
vocabulary machinery. Reading one is here too, so that rule and vocabulary files share one reader.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..model import InputError, PackError

RULE_SUFFIXES = (".yml", ".yaml")
MAX_RULE_FILE_BYTES = 1024 * 1024
VOCABULARY_FOLDER = "vocabularies"
MESSAGES_FOLDER = "messages"


def builtin_rules_dir() -> Path:
    """The built-in packs' ``rules/`` folder: inside the installed package, or beside it in a checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "rules"
    return packaged if packaged.is_dir() else package.parent / "rules"


def rule_files(directory: Path) -> list[Path]:
    """The rule files of a pack folder (not its vocabularies), in a stable order."""
    return [Path(name) for name in rule_file_names(directory)]


def rule_file_names(directory: Path | str) -> list[str]:
    """:func:`rule_files` as strings, in the same order.

    Every check lists the built-in packs for the cache key, and making (and sorting) a ``Path`` of
    each file, or walking with ``os.walk``, cost more than the rest of reading the cache; a ``Path``
    is made only when a pack is read.
    """
    found: list[str] = []
    _add_rule_files(os.fspath(directory), found)
    return found


def _add_rule_files(folder: str, found: list[str]) -> None:
    """Add the rule files under ``folder`` as ``os.walk`` would find them, in the order of their Paths."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=_name)  # a folder's files come where its name sorts: the Paths' order
    except OSError:
        return  # an unreadable folder, as os.walk skips it
    for entry in entries:
        try:
            folder_entry = entry.is_dir()
        except OSError:
            folder_entry = False
        if folder_entry:
            # Not into vocabularies or messages, nor (as os.walk) through a link to a folder.
            if entry.name not in (VOCABULARY_FOLDER, MESSAGES_FOLDER) and not entry.is_symlink():
                _add_rule_files(entry.path, found)
        elif _has_rule_suffix(entry.name):
            # Anything with a rule suffix that is not a folder: a pipe or device among them is reported, not skipped.
            found.append(entry.path)


def _name(entry: os.DirEntry) -> str:
    return entry.name


def _has_rule_suffix(name: str) -> bool:
    """``os.path.splitext(name)[1] in RULE_SUFFIXES``, without its cost: a name of only dots and a suffix has none."""
    return name.endswith(RULE_SUFFIXES) and name.rsplit(".", 1)[0].strip(".") != ""


def vocabulary_files(pack: Path, folder_name: str = VOCABULARY_FOLDER) -> list[Path]:
    """The vocabulary files of a pack folder (or the files of its ``folder_name``), in a stable order."""
    return [Path(name) for name in vocabulary_file_names(pack, folder_name)]


def vocabulary_file_names(pack: Path | str, folder_name: str = VOCABULARY_FOLDER) -> list[str]:
    """:func:`vocabulary_files` as strings, in the same order (see :func:`rule_file_names`)."""
    try:
        with os.scandir(os.path.join(pack, folder_name)) as entries:
            found = [entry for entry in entries if _has_rule_suffix(entry.name) and not entry.is_dir()]
    except (NotADirectoryError, FileNotFoundError):
        return []
    return [entry.path for entry in sorted(found, key=_name)]  # one folder: by name is the Paths' order


def read_rule_bytes(path: Path) -> bytes:
    """A rule or vocabulary file's bytes: a regular file within the size limit."""
    from ..inputs.sources import read_bytes

    try:
        return read_bytes(str(path), MAX_RULE_FILE_BYTES)
    except InputError as exc:
        raise PackError(f"{path}:1:1: cannot read rule file: {exc}") from None


def message_files(pack: Path) -> list[Path]:
    """A pack's translated messages, one file per language: ``messages/cy.yml``."""
    return vocabulary_files(pack, MESSAGES_FOLDER)


def message_file_names(pack: Path | str) -> list[str]:
    """:func:`message_files` as strings, in the same order."""
    return vocabulary_file_names(pack, MESSAGES_FOLDER)
