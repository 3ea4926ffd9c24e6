#!/usr/bin/env bash
# Re-pin every Python dependency with hashes (pip-tools in a throwaway virtualenv).
#   requirements.lock      what `make demo` installs
#   requirements-dev.lock  plus the test tools and the Ray extra, for `make test`
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools"
"$tools/bin/pip" install --quiet pip-tools
"$tools/bin/pip-compile" --quiet --strip-extras --generate-hashes --allow-unsafe -o requirements.lock pyproject.toml
"$tools/bin/pip-compile" --quiet --strip-extras --generate-hashes --allow-unsafe --extra test --extra ray \
  -o requirements-dev.lock pyproject.toml
