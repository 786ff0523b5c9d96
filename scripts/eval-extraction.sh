#!/usr/bin/env bash
# Skill extraction quality on the labelled nl/de/en set: precision, recall and F1.
# Usage: scripts/eval-extraction.sh [--errors]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
cargo run --quiet --locked --release -p hrmesh-skills --example eval_extraction -- "$@"
