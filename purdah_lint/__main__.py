"""``python -m purdah_lint``: the same as the ``purdah-lint`` command."""

import sys

from .cli import run

sys.exit(run())
