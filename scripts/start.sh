#!/usr/bin/env bash
# The README's run command: installs npm packages if needed, then starts Pontis on its embedded
# store (./.pontis/pontis.duckdb), loading the bundled data on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node bin/pontis.js start "$@"
