#!/usr/bin/env bash
# Install the web UI's front-end libraries from npm (exact versions from package-lock.json) and copy the
# files the UI loads into src/newsgraph/web/static/vendor/ (see scripts/build_web.py). No CDN is ever used.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/build_web.py
