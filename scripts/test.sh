#!/usr/bin/env bash
# The README's test command: the whole suite, with its own set-up: npm packages, the Debian packages
# the tests need (Chromium and fonts for the browser tests, poppler-utils for pdftotext, PostgreSQL
# for the registry), and a throw-away PostgreSQL cluster on 127.0.0.1, stopped again at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh chromium fonts-noto-core fonts-noto-cjk poppler-utils postgresql
echo "== typecheck" >&2
npx tsc --noEmit
echo "== lint" >&2
npx biome check .
echo "== PostgreSQL" >&2
eval "$(bash scripts/pg.sh start)"
trap 'bash scripts/pg.sh stop' EXIT
echo "== tests" >&2
npx vitest run "$@"
