#!/usr/bin/env bash
# The whole test suite: installs and starts what is missing (tansu, PostgreSQL, Redis), then
# formatting, lints and every test. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_postgres
ensure_redis
start_tansu
trap stop_tansu EXIT

scripts/lint-deploy.sh
scripts/platform-smoke.sh
log "cargo fmt --check"
cargo fmt --all --check
log "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
log "cargo test"
# The CLI tests run the real binary, which `cargo test` alone does not build.
cargo build --locked -p hrmesh
cargo test --workspace --locked
