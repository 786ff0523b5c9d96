#!/usr/bin/env bash
# Onboarding benchmark (release build, embedded mode): plans for 250 hires from a 12-task
# template, then an optimal buddy assignment of 50 hires to 200 volunteers, with the figures.
# Usage: scripts/bench-onboarding.sh [hires] [volunteers] [matched]   (default 250 200 50)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
cargo bench --locked -p hrmesh-integration-tests --bench onboarding -- "${1:-250}" "${2:-200}" "${3:-50}"
