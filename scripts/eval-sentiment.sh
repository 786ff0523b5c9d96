#!/usr/bin/env bash
# Comment sentiment quality on the labelled nl/de/en sets: accuracy and macro-F1 per language,
# next to a plain lexicon-sum baseline, and the time for a 100-word comment.
# Usage: scripts/eval-sentiment.sh   (SENTIMENT_EVAL_ERRORS=1 also lists the misclassified comments)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
cargo test --quiet --locked --release -p hrmesh-engagement --test sentiment_eval -- --nocapture
