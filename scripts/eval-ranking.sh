#!/usr/bin/env bash
# Skill ranking quality on the labelled nl/de/en set: RP@5, MRR, precision@5 and false positives per
# sentence for the product's ranker and for a TF-IDF baseline over the same labels.
# Usage: scripts/eval-ranking.sh [--builtin] [--errors] [--set PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
cargo run --quiet --locked --release -p hrmesh-skills --example eval_ranking -- "$@"
