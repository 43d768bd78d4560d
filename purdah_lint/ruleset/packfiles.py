"""What a pack folder holds: rule files, vocabulary files in ``vocabularies/``, translated messages in ``messages/``.

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


def rule_files(directory: Path) -> list[Path]:
    """The rule files of a pack folder (not its vocabularies), in a stable order."""
    return [Path(name) for name in rule_file_names(directory)]


def rule_file_names(directory: Path | str) -> list[str]:
    """:func:`rule_files` as strings, in the same order.

    Every check lists the built-in packs for the cache key, and making (and sorting) a ``Path`` of
    each file cost more than the rest of reading the cache; a ``Path`` is made only when a pack is read.
    """
    # Anything with a rule suffix that is not a folder: a pipe or device among them is reported, not skipped.
    found = []
    for folder, subfolders, names in os.walk(directory):
        subfolders[:] = [name for name in subfolders if name not in (VOCABULARY_FOLDER, MESSAGES_FOLDER)]
        found.extend(os.path.join(folder, name) for name in names if os.path.splitext(name)[1] in RULE_SUFFIXES)
    return sorted(found, key=_parts)  # the order of the Paths: part by part


def _parts(name: str) -> list[str]:
    return name.split(os.sep)


def vocabulary_files(pack: Path, folder_name: str = VOCABULARY_FOLDER) -> list[Path]:
    """The vocabulary files of a pack folder (or the files of its ``folder_name``), in a stable order."""
    return [Path(name) for name in vocabulary_file_names(pack, folder_name)]


def vocabulary_file_names(pack: Path | str, folder_name: str = VOCABULARY_FOLDER) -> list[str]:
    """:func:`vocabulary_files` as strings, in the same order (see :func:`rule_file_names`)."""
    try:
        with os.scandir(os.path.join(pack, folder_name)) as entries:
            found = [entry.path for entry in entries
                     if os.path.splitext(entry.name)[1] in RULE_SUFFIXES and not entry.is_dir()]
    except (NotADirectoryError, FileNotFoundError):
        return []
    return sorted(found, key=_parts)


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
