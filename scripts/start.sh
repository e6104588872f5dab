#!/usr/bin/env bash
# The README's run command: installs npm packages if needed, prepares the embedded store
# (./.pontis/pontis.duckdb, loading the bundled data on first start), then serves the HTTP API on
# one port (default 8080; `npm start -- --port N` or PORT=N to change it) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node bin/pontis.js start
exec node bin/pontis.js serve "$@"
