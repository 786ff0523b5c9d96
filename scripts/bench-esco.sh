#!/usr/bin/env bash
# ESCO import benchmark (release build): parse and validate the export, import it into SQLite and
# PostgreSQL (first run and re-run), load it back.
# Usage: scripts/bench-esco.sh [export dir]   (default: $HRMESH_ESCO_DIR or the shared ESCO data)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
if [ -n "${1:-}" ]; then
  HRMESH_ESCO_DIR="$(cd "$1" && pwd)"
  export HRMESH_ESCO_DIR
fi

ensure_postgres
cargo bench --locked -p hrmesh-skills --bench esco_import
