#!/usr/bin/env bash
# Stops what scripts/platform-up.sh started (services first, with SIGTERM so they drain and
# commit, then the broker), drops the platform's database and its Redis keys. Logs stay in the run directory.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

RUN_DIR="${HRMESH_PLATFORM_DIR:-$HRMESH_CACHE/platform}"
[ -d "$RUN_DIR/pids" ] || { log "nothing to stop in $RUN_DIR"; exit 0; }

stop_pid() { # name pid-file
  local pid i
  pid=$(cat "$2")
  if kill -TERM "$pid" 2>/dev/null; then
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$1 (pid $pid) did not stop within 10 s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$2"
}

for f in "$RUN_DIR"/pids/*.pid; do
  [ -e "$f" ] || continue
  name=$(basename "$f" .pid)
  [ "$name" = tansu ] && continue
  stop_pid "$name" "$f" &
done
wait
[ -e "$RUN_DIR/pids/tansu.pid" ] && stop_pid tansu "$RUN_DIR/pids/tansu.pid"

if [ -f "$RUN_DIR/env" ]; then
  # shellcheck disable=SC1091
  source "$RUN_DIR/env"
  pg_base="${HRMESH_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
  psql -X -q "$pg_base/postgres" -c "DROP DATABASE IF EXISTS ${HRMESH_PLATFORM_DATABASE} WITH (FORCE)" >/dev/null || true
  redis-cli -u "$HRMESH_REDIS__URL" --scan --pattern "${HRMESH_REDIS__KEY_PREFIX}*" 2>/dev/null \
    | xargs -r -n 500 redis-cli -u "$HRMESH_REDIS__URL" DEL >/dev/null 2>&1 || true
  rm -f "$RUN_DIR/env"
fi
rm -rf "$RUN_DIR/data"
log "platform stopped (logs in $RUN_DIR/logs)"
