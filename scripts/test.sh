#!/usr/bin/env bash
# The README's test command: the whole suite, with its own set-up.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh chromium fonts-noto-core fonts-noto-cjk poppler-utils
echo "== typecheck" >&2
npx tsc --noEmit
echo "== lint" >&2
npx biome check .
echo "== tests" >&2
npx vitest run "$@"
