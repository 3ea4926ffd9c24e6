#!/usr/bin/env bash
# Set up everything newsgraph needs in ./.venv, from pinned, hash-checked packages.
#   scripts/setup.sh        runtime: the package, its Python dependencies, the spaCy model, the web UI's libraries
#   scripts/setup.sh test   also the test tools, the Ray extra, and (as root) Debian's Chromium and PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"
python="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
lock=requirements.lock
[ "$mode" = test ] && lock=requirements-dev.lock
pip=(.venv/bin/python -m pip --quiet --disable-pip-version-check)
# A new venv's own pip (23.2 on Python 3.11) cannot install extras such as lxml[html_clean] in hash mode:
# it installs a pinned, hash-checked pip first, and that pip installs the lock.
"${pip[@]}" install --require-hashes -r requirements-bootstrap.lock
"${pip[@]}" install --require-hashes -r "$lock"
# The editable install's build hook also installs the web UI's libraries from npm (scripts/build_web.py).
"${pip[@]}" install --no-deps --no-build-isolation -e .

if [ "$mode" = test ]; then
  need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need+=(postgresql)
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
      echo "setup: installing ${need[*]} from Debian's packages" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq "${need[@]}" >/dev/null
    else
      echo "setup: ${need[*]} missing; browser or PostgreSQL tests will be skipped" >&2
    fi
  fi
fi
