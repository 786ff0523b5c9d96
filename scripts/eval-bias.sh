#!/usr/bin/env bash
# Precision and recall of performance's bias checks on the team's labelled set
# (services/performance/tests-data/bias), per language and per check. VERBOSE=1 lists the misses.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet -p hrmesh-performance --example eval_bias -- services/performance/tests-data/bias
