#!/usr/bin/env bash
# npm run test:editor — the node in the real n8n editor, in Debian's Chromium driven by puppeteer-core.
# Installs n8n (scripts/install-n8n.sh, cached) and, as root, Chromium (apt-get) when missing; builds and
# packs the package when dist/ is stale. E2E_TARGETS=1,2 (default: n8n 1.123.x and 2.41.x), 1 or 2; E2E_STRICT=1 fails instead of
# skipping a target that is not installed. Screenshots: test/e2e/artifacts/editor/.
set -euo pipefail
cd "$(dirname "$0")/../.."
export E2E_TARGETS="${E2E_TARGETS:-1,2}"
case "$E2E_TARGETS" in
  *1*2* | *2*1*) what=all ;;
  *2*) what=2 ;;
  *) what=1 ;;
esac
bash scripts/install-n8n.sh "$what"
exec npx jest -c test/editor/jest.config.js "$@"
