#!/usr/bin/env bash
# A longer fuzzing run than the suite's: random (not the suite's fixed) examples, many more of them.
# Usage: scripts/fuzz.sh [EXAMPLES]   (default 1000 per property; a failure prints the shrunk input)
# Hypothesis keeps failing examples in .hypothesis/ (gitignored) and replays them first next time.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEWSGRAPH_FUZZ_EXAMPLES="${1:-1000}"
exec .venv/bin/python -m pytest tests/test_fuzz.py -q -p no:randomly --hypothesis-show-statistics
