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
    # Anything with a rule suffix that is not a folder: a pipe or device among them is reported, not skipped.
    # os.walk rather than Path.rglob: every check lists the built-in packs, and rglob made a Path of each entry.
    found = []
    for folder, subfolders, names in os.walk(directory):
        subfolders[:] = [name for name in subfolders if name not in (VOCABULARY_FOLDER, MESSAGES_FOLDER)]
        found.extend(Path(folder, name) for name in names if os.path.splitext(name)[1] in RULE_SUFFIXES)
    return sorted(found)


def vocabulary_files(pack: Path, folder_name: str = VOCABULARY_FOLDER) -> list[Path]:
    """The vocabulary files of a pack folder (or the files of its ``folder_name``), in a stable order."""
    folder = pack / folder_name
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.suffix in RULE_SUFFIXES and not path.is_dir())


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
