"""What a pack folder holds: rule files, and vocabulary files in its ``vocabularies/`` folder.

Listing them needs no parsing, so a check whose packs are cached never imports the rule-file or
vocabulary machinery. Reading one is here too, so that rule and vocabulary files share one reader.
"""

from __future__ import annotations

from pathlib import Path

from ..model import InputError, PackError

RULE_SUFFIXES = (".yml", ".yaml")
MAX_RULE_FILE_BYTES = 1024 * 1024
VOCABULARY_FOLDER = "vocabularies"


def rule_files(directory: Path) -> list[Path]:
    """The rule files of a pack folder (not its vocabularies), in a stable order."""
    # Anything with a rule suffix that is not a folder: a pipe or device among them is reported, not skipped.
    return sorted(path for path in directory.rglob("*") if path.suffix in RULE_SUFFIXES and not path.is_dir()
                  and VOCABULARY_FOLDER not in path.relative_to(directory).parts[:-1])


def vocabulary_files(pack: Path) -> list[Path]:
    """The vocabulary files of a pack folder, in a stable order."""
    folder = pack / VOCABULARY_FOLDER
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
