#!/usr/bin/env bash
# NDCG@10 of hrmesh's matching against plain keyword matching (BM25) on the labelled set in
# services/recruiting/eval/matching (20 jobs × 10 graded candidates).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
cargo test --quiet --locked --release -p hrmesh-recruiting --test matching_eval -- --nocapture
