#!/usr/bin/env bash
# End-to-end check of platform mode: starts the local platform (scripts/platform-up.sh), then
# with a gRPC client checks health of every service, submits applications via recruiting and
# waits for analytics to count them through outbox → Kafka → governance → governed topic →
# analytics, checks that a candidate may not read analytics, and tears everything down.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source scripts/deploy-tools.sh

started=$(date +%s)
RUN_DIR="${HRMESH_PLATFORM_DIR:-$HRMESH_CACHE/platform}"
export HRMESH_PLATFORM_DIR="$RUN_DIR"
trap 'scripts/platform-down.sh' EXIT
scripts/platform-up.sh
ensure_pytools
# shellcheck disable=SC1091
source "$RUN_DIR/env"

token=$("$HRMESH_BIN" token --role hr_admin --subject platform-smoke)
candidate=$("$HRMESH_BIN" token --role candidate --subject cand-smoke)
targets=()
for svc in $(python3 scripts/registry.py); do
  var="PLATFORM_PORT_$(echo "$svc" | tr '[:lower:]' '[:upper:]')"
  targets+=("$svc=127.0.0.1:${!var}")
done
log "end-to-end flow"
if ! "$PYTHON" scripts/platform_client.py smoke --stubs "$DEPLOY_TOOLS/pystubs" \
  --token "$token" --candidate-token "$candidate" "${targets[@]}"; then
  for svc in governance recruiting analytics; do
    echo "--- $svc ($RUN_DIR/logs/$svc.log)" >&2
    tail -n 20 "$RUN_DIR/logs/$svc.log" >&2 || true
  done
  log "platform smoke FAILED"
  exit 1
fi
log "platform smoke passed in $(($(date +%s) - started)) s"
