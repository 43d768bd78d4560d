"""What a pack folder holds: rule files, and vocabulary files in its ``vocabularies/`` folder.

Listing them needs no parsing, so a check whose packs are cached never imports the rule-file or
vocabulary machinery.
"""

from __future__ import annotations

from pathlib import Path

RULE_SUFFIXES = (".yml", ".yaml")
VOCABULARY_FOLDER = "vocabularies"


def rule_files(directory: Path) -> list[Path]:
    """The rule files of a pack folder (not its vocabularies), in a stable order."""
    return sorted(path for path in directory.rglob("*") if path.suffix in RULE_SUFFIXES and path.is_file()
                  and VOCABULARY_FOLDER not in path.relative_to(directory).parts[:-1])


def vocabulary_files(pack: Path) -> list[Path]:
    """The vocabulary files of a pack folder, in a stable order."""
    folder = pack / VOCABULARY_FOLDER
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.suffix in RULE_SUFFIXES and path.is_file())
