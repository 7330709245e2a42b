#!/usr/bin/env bash
# What `npm run test:queue` needs besides n8n: Redis and PostgreSQL 15 from Debian's packages (installed when
# missing, as root, non-interactively) and n8n 1.123.81 / 2.41.1 (scripts/install-n8n.sh, cached).
set -euo pipefail
if ! command -v redis-server >/dev/null 2>&1 || [[ ! -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
  echo "[queue] installing redis-server and postgresql from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server postgresql >/dev/null
fi
bash "$(dirname "$0")/install-n8n.sh" "${1:-all}"
