#!/usr/bin/env bash
# Re-pin every Python dependency with hashes (pip-tools in a throwaway virtualenv).
#   requirements-bootstrap.lock  the pip that installs the other two (a venv's stock pip cannot: it
#                                 mishandles extras such as lxml[html_clean] in --require-hashes mode)
#   requirements.lock            what `make demo` installs
#   requirements-dev.lock        plus the test and training tools and the Ray extra, for `make test`
# No index URL or find-links location is written: the locks install from whatever index pip is
# configured to use.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools"
"$tools/bin/pip" install --quiet pip-tools
compile() {
  "$tools/bin/pip-compile" --quiet --strip-extras --generate-hashes --allow-unsafe \
    --no-emit-index-url --no-emit-find-links "$@"
}
printf 'pip==25.3\n' > "$tools/bootstrap.in"
compile -o requirements-bootstrap.lock "$tools/bootstrap.in"
sed -i "s|$tools/||" requirements-bootstrap.lock
compile -o requirements.lock pyproject.toml
compile --extra test --extra ray --extra train -o requirements-dev.lock pyproject.toml
