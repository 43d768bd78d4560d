"""The naive Python baseline: every pattern of patterns.tsv, one at a time, over lower-cased text."""

import os
import re
import sys


def main() -> None:
    """Usage: naive_baseline.py PATTERNS.tsv PATH..."""
    patterns = []
    with open(sys.argv[1], encoding="utf-8") as handle:
        for line in handle.read().splitlines()[1:]:
            _, _, kind, pattern = line.split("\t")
            patterns.append(re.compile(pattern if kind == "regex" else re.escape(pattern)))
    matches = 0
    for root in sys.argv[2:]:
        files = [root] if os.path.isfile(root) else [os.path.join(folder, name)
                                                     for folder, _, names in os.walk(root) for name in names]
        for path in files:
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read().lower()
            for pattern in patterns:
                matches += sum(1 for _ in pattern.finditer(text))
    print(matches)


if __name__ == "__main__":
    main()
