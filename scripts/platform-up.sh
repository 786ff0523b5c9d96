#!/usr/bin/env bash
# Local platform mode: a Kafka-protocol broker (tansu, in memory) and every hrmesh service as
# its own `hrmesh serve <service>` process against local PostgreSQL and Redis, as in Kubernetes.
#
#   scripts/platform-up.sh      # start; prints the endpoints
#   source "${HRMESH_PLATFORM_DIR:-~/.cache/hrmesh/platform}/env"   # settings, ports, $HRMESH_BIN
#   scripts/platform-down.sh    # stop everything, drop the database
#
# Run directory (HRMESH_PLATFORM_DIR, default $HRMESH_CACHE/platform): env, pids/, logs/.
# HRMESH_BIN: the hrmesh binary to run (default: `cargo build -p hrmesh`, debug profile).
# HRMESH_PLATFORM_OTLP: OTLP endpoint to export telemetry to (default: none).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source scripts/deploy-tools.sh

RUN_DIR="${HRMESH_PLATFORM_DIR:-$HRMESH_CACHE/platform}"
mapfile -t SERVICES < <(python3 scripts/registry.py)

if compgen -G "$RUN_DIR/pids/*.pid" >/dev/null; then
  for f in "$RUN_DIR"/pids/*.pid; do
    if kill -0 "$(cat "$f")" 2>/dev/null; then
      log "the platform is already running (see $RUN_DIR); stop it with scripts/platform-down.sh"
      exit 1
    fi
  done
fi
rm -rf "$RUN_DIR/pids" "$RUN_DIR/data"
mkdir -p "$RUN_DIR/pids" "$RUN_DIR/logs" "$RUN_DIR/data"
# A failed start leaves nothing running.
cleanup_on_failure() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then HRMESH_PLATFORM_DIR="$RUN_DIR" scripts/platform-down.sh; fi
}
trap cleanup_on_failure EXIT

if [ -z "${HRMESH_BIN:-}" ]; then
  log "building hrmesh"
  cargo build --locked -q -p hrmesh
  HRMESH_BIN="$CARGO_TARGET_DIR/debug/hrmesh"
fi
[ -x "$HRMESH_BIN" ] || { log "no hrmesh binary at $HRMESH_BIN"; exit 1; }

ensure_postgres
ensure_redis
ensure_tansu
ensure_pytools

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
secret() { python3 -c 'import secrets; print(secrets.token_urlsafe(36))'; }

run_id=$(date +%s)$$
pg_base="${HRMESH_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
database="hrmesh_platform_$run_id"
psql -X -q "$pg_base/postgres" -c "CREATE DATABASE $database" >/dev/null
printf "export HRMESH_PLATFORM_DATABASE='%s'\nexport HRMESH_REDIS__URL=redis://127.0.0.1:6379\nexport HRMESH_REDIS__KEY_PREFIX='platform-%s:'\n" \
  "$database" "$run_id" > "$RUN_DIR/env"

kafka_port=$(free_port)
"$HRMESH_CACHE/bin/tansu" broker --listener-url "tcp://127.0.0.1:$kafka_port" \
  --advertised-listener-url "tcp://127.0.0.1:$kafka_port" --storage-engine memory://tansu/ \
  >"$RUN_DIR/logs/tansu.log" 2>&1 &
echo $! > "$RUN_DIR/pids/tansu.pid"
wait_for_port 127.0.0.1 "$kafka_port" 30 || { log "tansu did not start (see $RUN_DIR/logs/tansu.log)"; exit 1; }

declare -A port
for svc in "${SERVICES[@]}"; do port[$svc]=$(free_port); done

umask 077
{
  echo "# hrmesh local platform $run_id: source this file to talk to it."
  echo "export HRMESH_BIN='$HRMESH_BIN'"
  echo "export HRMESH_PLATFORM_DATABASE='$database'"
  echo "export HRMESH_TENANT=acme"
  echo "export HRMESH_DATABASE__URL='$pg_base/$database'"
  echo "export HRMESH_DATABASE__MAX_CONNECTIONS=5"
  echo "export HRMESH_KAFKA__BROKERS=127.0.0.1:$kafka_port"
  echo "export HRMESH_KAFKA__PARTITIONS=2"
  echo "export HRMESH_REDIS__URL=redis://127.0.0.1:6379"
  echo "export HRMESH_REDIS__KEY_PREFIX='platform-$run_id:'"
  echo "export HRMESH_AUTH__KEYS='[{kid=\"platform\",algorithm=\"HS256\",key=\"$(secret)\"}]'"
  echo "export HRMESH_GOVERNANCE__PSEUDONYM_KEY='$(secret)'"
  echo "export HRMESH_GOVERNANCE__SIGNING_KEY='$(secret)'"
  echo "export HRMESH_PRIVACY__MASTER_KEY='$(secret)'"
  echo "export HRMESH_GRPC__DRAIN_GRACE_MS=200"
  echo "export HRMESH_EVENTS__RELAY_POLL_MS=50"
  echo "export HRMESH_TELEMETRY__LOG_FORMAT=json"
  if [ -n "${HRMESH_PLATFORM_OTLP:-}" ]; then
    echo "export HRMESH_TELEMETRY__OTLP_ENDPOINT='$HRMESH_PLATFORM_OTLP'"
    echo "export OTEL_METRIC_EXPORT_INTERVAL=5000"
  fi
  for svc in "${SERVICES[@]}"; do
    upper=$(echo "$svc" | tr '[:lower:]' '[:upper:]')
    echo "export HRMESH_PEERS__$upper=http://127.0.0.1:${port[$svc]}"
    echo "export PLATFORM_PORT_$upper=${port[$svc]}"
  done
} > "$RUN_DIR/env"
umask 022
# shellcheck disable=SC1091
source "$RUN_DIR/env"

start() { # service
  local svc=$1
  HRMESH_GRPC__PORT=${port[$svc]} HRMESH_DATA_DIR="$RUN_DIR/data/$svc" \
    "$HRMESH_BIN" serve "$svc" >"$RUN_DIR/logs/$svc.log" 2>&1 &
  echo $! > "$RUN_DIR/pids/$svc.pid"
}

targets=()
for svc in "${SERVICES[@]}"; do
  start "$svc"
  targets+=("$svc=127.0.0.1:${port[$svc]}")
done
log "waiting for ${#SERVICES[@]} services to report SERVING"
if ! "$PYTHON" scripts/platform_client.py wait --pids "$RUN_DIR/pids" "${targets[@]}"; then
  for svc in "${SERVICES[@]}"; do
    echo "--- $svc ($RUN_DIR/logs/$svc.log)" >&2
    tail -n 5 "$RUN_DIR/logs/$svc.log" >&2 || true
  done
  exit 1
fi

log "platform up (run dir $RUN_DIR): Kafka 127.0.0.1:$kafka_port, PostgreSQL database $database, Redis prefix platform-$run_id:"
for svc in "${SERVICES[@]}"; do printf '    %-12s 127.0.0.1:%s\n' "$svc" "${port[$svc]}" >&2; done
