#!/usr/bin/env bash
# Install the web UI's front-end libraries from npm (exact versions from package-lock.json) and copy
# the files the UI loads into src/newsgraph/web/static/vendor/ (gitignored). No CDN is ever used:
# the server serves these files itself from /static/vendor.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "build-web: npm not found; install Node.js (Debian: apt-get install -y nodejs npm)" >&2
  exit 1
fi

npm ci --ignore-scripts --no-audit --no-fund

vendor=src/newsgraph/web/static/vendor
mkdir -p "$vendor"
# renamed to .js so every server maps it to a JavaScript MIME type (module scripts require one)
cp node_modules/cytoscape/dist/cytoscape.esm.min.mjs "$vendor/cytoscape.esm.min.js"
cp node_modules/cytoscape/LICENSE "$vendor/cytoscape.LICENSE"
echo "build-web: copied cytoscape $(node -p "require('./node_modules/cytoscape/package.json').version") to $vendor"
