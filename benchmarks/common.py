"""What every part of the benchmark shares: the project's root, the build time, units, progress.

The corpus dates its documents before ``BUILD_EPOCH``, the runner builds
with it as ``SOURCE_DATE_EPOCH`` and the report states it.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_EPOCH = "1795564800"  # 2026-11-25 00:00 UTC, as in the test suite
MIB = 1024 * 1024


def say(message):
    # Progress goes to stderr: stdout carries the report.
    print(message, file=sys.stderr, flush=True)  # noqa: T201 - progress for whoever runs it


def show(text):
    # The command's output (the report, or what --generate-only wrote) goes to stdout.
    print(text)  # noqa: T201 - the command's output
